//===- Einsum.cpp - Einsum as transposes, reductions and matmuls ----------===//
//
// The equation is parsed at import time into one list of labels per operand
// (`...` becomes one label per broadcast dimension, aligned at the right)
// and composed from existing mllm ops:
//
//   1. a label repeated within one operand takes the diagonal (transpose the
//      two dims to the end, reshape them into one, slice with step n + 1);
//   2. a label no later operand and not the output uses is summed out
//      (mllm.reduce_sum);
//   3. operands combine left to right with one mllm.matmul each: shared
//      labels still needed later are batch dims, shared labels no longer
//      needed are contracted (K), the others are the M and N groups;
//      transposes and reshapes bring both operands into [batch, M, K] and
//      [batch, K, N] form and the result back to [batch, M-labels,
//      N-labels];
//   4. a final transpose gives the output order.
//
// Rejected, with an error naming the node: ellipsis dims that broadcast
// (sizes differ), a diagonal over a dynamic dim, output labels no input has,
// labels repeated in the output, malformed equations.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>
#include <set>

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// Labels: letters are their character; the `i`th broadcast dim of `...`
/// (counting from the left of the widest ellipsis) is kEllipsisLabel + i, so
/// that ellipsis dims come first in the implicit output and sort in order.
using Label = int;
constexpr Label kEllipsisLabel = -1000;

/// One operand during the composition: its value and one label per dim.
struct Operand {
  Value value;
  SmallVector<Label> labels;
};

struct ParsedTerm {
  SmallVector<Label> letters; // Letters before the ellipsis, then after it.
  int ellipsisPosition = -1;  // Index in `letters` where `...` stands.
};

/// Parses one term (letters and at most one `...`), or returns an error
/// message.
FailureOr<ParsedTerm> parseTerm(StringRef term, std::string &error) {
  ParsedTerm parsed;
  for (size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    if (term.substr(i).starts_with("...")) {
      if (parsed.ellipsisPosition >= 0) {
        error = "term '" + term.str() + "' has more than one ellipsis";
        return failure();
      }
      parsed.ellipsisPosition = parsed.letters.size();
      i += 2;
      continue;
    }
    if (!llvm::isAlpha(c)) {
      error = "term '" + term.str() + "' has the character '" +
              std::string(1, c) + "', expected letters and '...'";
      return failure();
    }
    parsed.letters.push_back(c);
  }
  return parsed;
}

/// The labels of a term for an operand of `rank` dims, with `...` expanded
/// into the last of `ellipsisRank` broadcast labels.
SmallVector<Label> expandTerm(const ParsedTerm &term, int64_t rank,
                              int64_t ellipsisRank) {
  SmallVector<Label> labels(term.letters.begin(),
                            term.letters.begin() +
                                std::max(term.ellipsisPosition, 0));
  if (term.ellipsisPosition >= 0) {
    int64_t count = rank - static_cast<int64_t>(term.letters.size());
    for (int64_t i = ellipsisRank - count; i < ellipsisRank; ++i)
      labels.push_back(kEllipsisLabel + i);
    labels.append(term.letters.begin() + term.ellipsisPosition,
                  term.letters.end());
  } else {
    labels = term.letters;
  }
  return labels;
}

class EinsumBuilder {
public:
  explicit EinsumBuilder(NodeContext &node) : node(node) {}

  LogicalResult run(SmallVector<Operand> operands, ArrayRef<Label> output);

private:
  FailureOr<Value> reshape(Value value, ArrayRef<int64_t> shape) {
    if (NodeContext::getType(value).getShape() == shape)
      return value;
    return node.createWithType<mllm::ReshapeOp>(
        NodeContext::getType(value).clone(shape), value);
  }
  FailureOr<Value> transpose(Value value, ArrayRef<int64_t> permutation) {
    if (llvm::equal(permutation, llvm::seq<int64_t>(0, permutation.size())))
      return value;
    return node.create<mllm::TransposeOp>(value, permutation);
  }
  /// Moves the dims of `operand` into the order of `labels`.
  LogicalResult permute(Operand &operand, ArrayRef<Label> labels);
  /// Takes diagonals until no label repeats within the operand.
  LogicalResult takeDiagonals(Operand &operand);
  /// Sums out the labels of `operand` that `keep` does not contain.
  LogicalResult sumOut(Operand &operand, const std::set<Label> &keep);
  /// Combines two operands with one matmul; `keep` are the labels needed
  /// afterwards.
  FailureOr<Operand> contract(Operand lhs, Operand rhs,
                              const std::set<Label> &keep);

  NodeContext &node;
};

LogicalResult EinsumBuilder::permute(Operand &operand, ArrayRef<Label> labels) {
  SmallVector<int64_t> permutation;
  for (Label label : labels)
    permutation.push_back(llvm::find(operand.labels, label) -
                          operand.labels.begin());
  FailureOr<Value> value = transpose(operand.value, permutation);
  if (failed(value))
    return failure();
  operand = {*value, SmallVector<Label>(labels)};
  return success();
}

LogicalResult EinsumBuilder::takeDiagonals(Operand &operand) {
  for (size_t i = 0; i < operand.labels.size(); ++i) {
    auto repeat = std::find(operand.labels.begin() + i + 1,
                            operand.labels.end(), operand.labels[i]);
    if (repeat == operand.labels.end())
      continue;
    size_t j = repeat - operand.labels.begin();
    RankedTensorType type = NodeContext::getType(operand.value);
    int64_t n = type.getDimSize(i);
    if (ShapedType::isDynamic(n) || n != type.getDimSize(j)) {
      node.emitError() << "diagonal over dims " << i << " and " << j
                       << " needs equal static sizes, got " << type;
      return failure();
    }
    // Move dims i and j to the end, merge them and take every (n + 1)th.
    SmallVector<Label> order;
    for (size_t d = 0; d < operand.labels.size(); ++d)
      if (d != i && d != j)
        order.push_back(operand.labels[d]);
    Label label = operand.labels[i];
    SmallVector<int64_t> permutation;
    for (size_t d = 0; d < operand.labels.size(); ++d)
      if (d != i && d != j)
        permutation.push_back(d);
    permutation.push_back(i);
    permutation.push_back(j);
    FailureOr<Value> moved = transpose(operand.value, permutation);
    if (failed(moved))
      return failure();
    SmallVector<int64_t> shape(NodeContext::getType(*moved).getShape());
    shape.pop_back();
    shape.back() = n * n;
    FailureOr<Value> merged = reshape(*moved, shape);
    if (failed(merged))
      return failure();
    int64_t rank = shape.size();
    SmallVector<int64_t> starts(rank, 0), ends(shape), steps(rank, 1);
    steps.back() = n + 1;
    FailureOr<Value> diagonal =
        node.create<mllm::SliceOp>(*merged, starts, ends, steps);
    if (failed(diagonal))
      return failure();
    order.push_back(label);
    operand = {*diagonal, order};
    i = static_cast<size_t>(-1); // Rescan: positions changed.
  }
  return success();
}

LogicalResult EinsumBuilder::sumOut(Operand &operand,
                                    const std::set<Label> &keep) {
  SmallVector<int64_t> axes;
  SmallVector<Label> kept;
  for (auto [d, label] : llvm::enumerate(operand.labels)) {
    if (keep.count(label))
      kept.push_back(label);
    else
      axes.push_back(d);
  }
  if (axes.empty())
    return success();
  FailureOr<Value> sum =
      node.create<mllm::ReduceSumOp>(operand.value, axes, /*keepdims=*/false);
  if (failed(sum))
    return failure();
  operand = {*sum, kept};
  return success();
}

FailureOr<Operand> EinsumBuilder::contract(Operand lhs, Operand rhs,
                                           const std::set<Label> &keep) {
  SmallVector<Label> batch, lhsFree, rhsFree, reduced;
  for (Label label : lhs.labels) {
    bool shared = llvm::is_contained(rhs.labels, label);
    if (!shared)
      lhsFree.push_back(label);
    else if (keep.count(label))
      batch.push_back(label);
    else
      reduced.push_back(label);
  }
  for (Label label : rhs.labels)
    if (!llvm::is_contained(lhs.labels, label))
      rhsFree.push_back(label);

  auto sizeOf = [](const Operand &operand, Label label) {
    return NodeContext::getType(operand.value)
        .getDimSize(llvm::find(operand.labels, label) - operand.labels.begin());
  };
  auto product = [&](const Operand &operand, ArrayRef<Label> labels) {
    int64_t size = 1;
    for (Label label : labels) {
      int64_t dim = sizeOf(operand, label);
      if (ShapedType::isDynamic(dim))
        return ShapedType::kDynamic;
      size *= dim;
    }
    return size;
  };
  for (Label label : llvm::concat<Label>(batch, reduced)) {
    int64_t a = sizeOf(lhs, label), b = sizeOf(rhs, label);
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b) {
      node.emitError() << "operands disagree on the size of a shared "
                       << "dimension (" << a << " and " << b
                       << "); broadcasting dims are not supported";
      return failure();
    }
  }

  // lhs -> [batch..., M, K], rhs -> [batch..., K, N].
  SmallVector<Label> lhsOrder(batch), rhsOrder(batch);
  llvm::append_range(lhsOrder, lhsFree);
  llvm::append_range(lhsOrder, reduced);
  llvm::append_range(rhsOrder, reduced);
  llvm::append_range(rhsOrder, rhsFree);
  if (failed(permute(lhs, lhsOrder)) || failed(permute(rhs, rhsOrder)))
    return failure();
  SmallVector<int64_t> batchShape;
  for (Label label : batch)
    batchShape.push_back(sizeOf(lhs, label));
  int64_t m = product(lhs, lhsFree), k = product(lhs, reduced),
          n = product(rhs, rhsFree);
  SmallVector<int64_t> lhsShape(batchShape), rhsShape(batchShape);
  lhsShape.append({m, k});
  rhsShape.append({k, n});
  FailureOr<Value> lhsMatrix = reshape(lhs.value, lhsShape);
  FailureOr<Value> rhsMatrix = reshape(rhs.value, rhsShape);
  if (failed(lhsMatrix) || failed(rhsMatrix))
    return failure();
  FailureOr<Value> matrix = node.create<mllm::MatmulOp>(*lhsMatrix, *rhsMatrix);
  if (failed(matrix))
    return failure();

  SmallVector<int64_t> shape(batchShape);
  for (Label label : lhsFree)
    shape.push_back(sizeOf(lhs, label));
  for (Label label : rhsFree)
    shape.push_back(sizeOf(rhs, label));
  FailureOr<Value> result = reshape(*matrix, shape);
  if (failed(result))
    return failure();
  SmallVector<Label> labels(batch);
  llvm::append_range(labels, lhsFree);
  llvm::append_range(labels, rhsFree);
  return Operand{*result, labels};
}

LogicalResult EinsumBuilder::run(SmallVector<Operand> operands,
                                 ArrayRef<Label> output) {
  std::set<Label> outputLabels(output.begin(), output.end());
  // The labels operands `from` onwards and the output use.
  auto neededFrom = [&](size_t from) {
    std::set<Label> needed(outputLabels);
    for (size_t i = from; i < operands.size(); ++i)
      needed.insert(operands[i].labels.begin(), operands[i].labels.end());
    return needed;
  };
  for (Operand &operand : operands)
    if (failed(takeDiagonals(operand)))
      return failure();

  Operand result = operands.front();
  for (size_t i = 1; i <= operands.size(); ++i) {
    if (failed(sumOut(result, neededFrom(i))))
      return failure();
    if (i == operands.size())
      break;
    Operand next = operands[i];
    std::set<Label> otherNeeded = neededFrom(i + 1);
    otherNeeded.insert(result.labels.begin(), result.labels.end());
    if (failed(sumOut(next, otherNeeded)))
      return failure();
    FailureOr<Operand> combined = contract(result, next, neededFrom(i + 1));
    if (failed(combined))
      return failure();
    result = *combined;
  }
  if (failed(permute(result, output)))
    return failure();
  node.setOutput(0, result.value);
  return success();
}

LogicalResult convertEinsum(NodeContext &node) {
  if (node.getNumInputs() < 1) {
    node.emitError() << "needs at least one input";
    return failure();
  }
  std::string equation = node.getStringAttr("equation", "");
  llvm::erase_if(equation, [](char c) { return llvm::isSpace(c); });
  StringRef text(equation);
  auto [lhsText, outputText] = text.split("->");
  bool explicitOutput = text.contains("->");

  SmallVector<StringRef> terms;
  lhsText.split(terms, ',');
  if (terms.size() != node.getNumInputs()) {
    node.emitError() << "equation '" << equation << "' has " << terms.size()
                     << " input terms for " << node.getNumInputs() << " inputs";
    return failure();
  }
  std::string error;
  SmallVector<ParsedTerm> parsed;
  SmallVector<Value> values;
  int64_t ellipsisRank = 0;
  for (auto [i, term] : llvm::enumerate(terms)) {
    FailureOr<ParsedTerm> p = parseTerm(term, error);
    FailureOr<Value> value = node.getRequiredInput(i);
    if (failed(value))
      return failure();
    if (failed(p)) {
      node.emitError() << "equation '" << equation << "': " << error;
      return failure();
    }
    int64_t rank = NodeContext::getType(*value).getRank();
    int64_t letters = p->letters.size();
    if ((p->ellipsisPosition < 0 && rank != letters) || rank < letters) {
      node.emitError() << "term '" << term << "' does not fit input #" << i
                       << " of rank " << rank;
      return failure();
    }
    if (p->ellipsisPosition >= 0)
      ellipsisRank = std::max(ellipsisRank, rank - letters);
    parsed.push_back(*p);
    values.push_back(*value);
  }

  SmallVector<Operand> operands;
  std::map<Label, int> counts;
  bool anyEllipsis = false;
  for (auto [term, value] : llvm::zip(parsed, values)) {
    Operand operand{
        value,
        expandTerm(term, NodeContext::getType(value).getRank(), ellipsisRank)};
    anyEllipsis |= term.ellipsisPosition >= 0;
    for (Label label : operand.labels)
      ++counts[label];
    operands.push_back(operand);
  }

  SmallVector<Label> output;
  if (explicitOutput) {
    FailureOr<ParsedTerm> p = parseTerm(outputText, error);
    if (failed(p)) {
      node.emitError() << "equation '" << equation << "': " << error;
      return failure();
    }
    output = expandTerm(*p, p->letters.size() + ellipsisRank, ellipsisRank);
  } else {
    // Implicit output: the ellipsis dims, then the letters used once, in
    // alphabetical order.
    if (anyEllipsis)
      for (int64_t i = 0; i < ellipsisRank; ++i)
        output.push_back(kEllipsisLabel + i);
    SmallVector<Label> once;
    for (auto [label, count] : counts)
      if (label >= 0 && count == 1)
        once.push_back(label);
    llvm::sort(once);
    llvm::append_range(output, once);
  }
  std::set<Label> seen;
  for (Label label : output) {
    if (!counts.count(label) || !seen.insert(label).second) {
      node.emitError() << "equation '" << equation
                       << "': output labels must be distinct and appear in "
                          "an input";
      return failure();
    }
  }
  return EinsumBuilder(node).run(std::move(operands), output);
}

} // namespace

void mllmc::onnx_frontend::registerEinsumOps(OpRegistry &registry) {
  registry.add("Einsum", 12, convertEinsum,
               "composed of transpose, reduce_sum, matmul, reshape and slice: "
               "any number of inputs, implicit and explicit output, ellipsis, "
               "diagonals of static dims; no broadcasting of shared dims");
}
