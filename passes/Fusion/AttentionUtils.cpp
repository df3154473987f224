//===- AttentionUtils.cpp - Shared helpers of the attention fusion --------===//

#include "passes/Fusion/AttentionUtils.h"
#include "passes/Fusion/AttentionPatterns.h"
#include "passes/Fusion/FusionReport.h"

#include "dialects/mllm/IR/MllmOps.h"

#include <cmath>

using namespace mlir;
using namespace mllmc;
using namespace mllmc::attention;

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

Value attention::createTransposeLastTwo(OpBuilder &builder, Location loc,
                                        Value value) {
  int64_t rank = getTensorType(value).getRank();
  SmallVector<int64_t> permutation = llvm::to_vector(llvm::seq<int64_t>(rank));
  std::swap(permutation[rank - 1], permutation[rank - 2]);
  Value input = value;
  if (auto transpose = value.getDefiningOp<mllm::TransposeOp>()) {
    // transpose(transpose(x, p), q)[i] = x[p[q[i]]].
    ArrayRef<int64_t> inner = transpose.getPermutation();
    for (int64_t &d : permutation)
      d = inner[d];
    input = transpose.getInput();
  }
  if (llvm::equal(permutation, llvm::seq<int64_t>(rank)))
    return input;
  return mllm::TransposeOp::create(builder, loc, input, permutation);
}

Value attention::createReshape(OpBuilder &builder, Location loc, Value value,
                               ArrayRef<int64_t> shape) {
  if (auto reshape = value.getDefiningOp<mllm::ReshapeOp>())
    value = reshape.getInput();
  RankedTensorType type = getTensorType(value);
  if (type.getShape() == shape)
    return value;
  return mllm::ReshapeOp::create(builder, loc, type.clone(shape), value);
}

//===----------------------------------------------------------------------===//
// Building attention
//===----------------------------------------------------------------------===//

/// Whether static dims `a` and `b` are equal (a dynamic dim matches only a
/// dynamic one: fusion must not guess).
static bool sameDim(int64_t a, int64_t b) { return a == b; }

std::string attention::checkAttentionParts(const AttentionParts &parts) {
  return checkAttentionTypes(
      getTensorType(parts.query), getTensorType(parts.key),
      getTensorType(parts.value),
      parts.mask ? getTensorType(parts.mask) : RankedTensorType(), parts);
}

std::string attention::checkAttentionTypes(RankedTensorType q,
                                           RankedTensorType k,
                                           RankedTensorType v,
                                           RankedTensorType mask,
                                           const AttentionParts &parts) {
  std::string reason;
  llvm::raw_string_ostream os(reason);
  if (q.getRank() != 4 || k.getRank() != 4 || v.getRank() != 4) {
    os << "query, key and value must have rank 4, got "
       << formatShape(q.getShape()) << ", " << formatShape(k.getShape()) << ", "
       << formatShape(v.getShape());
    return reason;
  }
  Type elementType = q.getElementType();
  if (!isa<FloatType>(elementType) || k.getElementType() != elementType ||
      v.getElementType() != elementType) {
    os << "query, key and value element types differ or are not float: "
       << q.getElementType() << ", " << k.getElementType() << ", "
       << v.getElementType();
    return reason;
  }
  if (!sameDim(q.getDimSize(0), k.getDimSize(0)) ||
      !sameDim(q.getDimSize(0), v.getDimSize(0))) {
    os << "the batch sizes of query, key and value differ (or are dynamic): "
       << formatShape(q.getShape()) << ", " << formatShape(k.getShape()) << ", "
       << formatShape(v.getShape());
    return reason;
  }
  if (!sameDim(k.getDimSize(1), v.getDimSize(1)) ||
      !sameDim(k.getDimSize(2), v.getDimSize(2))) {
    os << "key " << formatShape(k.getShape()) << " and value "
       << formatShape(v.getShape()) << " differ in heads or length";
    return reason;
  }
  if (!sameDim(q.getDimSize(3), k.getDimSize(3))) {
    os << "query " << formatShape(q.getShape()) << " and key "
       << formatShape(k.getShape()) << " differ in head size";
    return reason;
  }
  if (q.isDynamicDim(1) || k.isDynamicDim(1)) {
    // num_heads must be a number: a head split reshape whose head count is
    // computed at run time (e.g. a -1 entry) does not give one.
    os << "the head count of the query " << formatShape(q.getShape())
       << " or of the key " << formatShape(k.getShape())
       << " is dynamic; mllm.attention needs static num_heads and "
          "num_kv_heads";
    return reason;
  }
  if (q.getDimSize(1) != parts.numHeads ||
      k.getDimSize(1) != parts.numKvHeads || parts.numKvHeads <= 0 ||
      parts.numHeads % parts.numKvHeads != 0) {
    os << "query heads " << formatShape(q.getShape()) << " and key heads "
       << formatShape(k.getShape())
       << " are not a static multiple of each other";
    return reason;
  }
  float scale = static_cast<float>(parts.scale);
  if (!std::isfinite(scale)) {
    os << "the scale " << parts.scale << " is not a finite f32";
    return reason;
  }
  if (!mask)
    return reason;
  if (!mask.getElementType().isInteger(1) &&
      mask.getElementType() != elementType) {
    os << "the mask's element type " << mask.getElementType()
       << " is neither i1 nor the query's " << elementType;
    return reason;
  }
  SmallVector<int64_t> scores = {q.getDimSize(0), q.getDimSize(1),
                                 q.getDimSize(2), k.getDimSize(2)};
  int64_t offset = 4 - mask.getRank();
  bool broadcasts = offset >= 0;
  for (int64_t d = 0; broadcasts && d < mask.getRank(); ++d)
    broadcasts = mask.getDimSize(d) == 1 ||
                 sameDim(mask.getDimSize(d), scores[offset + d]);
  if (!broadcasts)
    os << "the mask " << formatShape(mask.getShape())
       << " does not broadcast to the scores " << formatShape(scores);
  return reason;
}

Value attention::createAttention(PatternRewriter &rewriter,
                                 const AttentionParts &parts,
                                 ArrayRef<Operation *> absorbed) {
  RankedTensorType q = getTensorType(parts.query);
  RankedTensorType v = getTensorType(parts.value);
  auto resultType = RankedTensorType::get(
      {q.getDimSize(0), q.getDimSize(1), q.getDimSize(2), v.getDimSize(3)},
      q.getElementType());
  auto attention = mllm::AttentionOp::create(
      rewriter, getFusedLoc(absorbed), resultType, parts.query, parts.key,
      parts.value, parts.mask, static_cast<float>(parts.scale), parts.causal,
      parts.numHeads, parts.numKvHeads);
  reportFused(attention, kFuseAttentionPass, "attention");
  return attention.getResult();
}

void attention::eraseUnused(PatternRewriter &rewriter,
                            ArrayRef<Operation *> ops) {
  for (Operation *op : ops)
    if (op->use_empty())
      rewriter.eraseOp(op);
}
