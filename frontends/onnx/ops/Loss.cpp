//===- Loss.cpp - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ------===//
//
// ONNX defines both losses as functions; they are composed here of dialect
// ops. For input [N, C, d1, ..., dk] and target [N, d1, ..., dk]:
//
//   t      = target, with ignored positions (target == ignore_index) set to 0
//            so that the gathers stay in range
//   w      = weight[t] (1 without weights), 0 where ignored
//   loss   = -input[n, t[n, d], d] * w            (gather_elements, axis 1)
//   none: loss   sum: sum(loss)   mean: sum(loss) / sum(w)
//
// SoftmaxCrossEntropyLoss is the same loss on LogSoftmax(scores, axis = 1),
// whose value is its optional second output.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"
#include "dialects/mllm/IR/MllmShapes.h"

#include "llvm/ADT/Sequence.h"

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

enum class LossReduction { None, Sum, Mean };

/// The inputs and attributes both losses share.
struct LossOperands {
  Value input;
  Value target;
  /// The per-class weights, or null.
  Value weight;
  std::optional<int64_t> ignoreIndex;
  LossReduction reduction;
};

/// Reads and checks the operands: input [N, C, d...] of floats, target
/// [N, d...] of int32/int64, weight [C] of the input's type. `inputRole`
/// and `targetRole` name the first two inputs as the op's spec does.
FailureOr<LossOperands> getLossOperands(NodeContext &node, StringRef inputRole,
                                        StringRef targetRole) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> target = node.getRequiredInput(1);
  if (failed(input) || failed(target))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*input);
  RankedTensorType targetType = NodeContext::getType(*target);
  if (!isa<FloatType>(inputType.getElementType()) || inputType.getRank() < 2) {
    node.emitError() << inputRole
                     << " must be a float tensor of shape [N, C, d1, ...], "
                        "got "
                     << inputType;
    return failure();
  }
  Type targetElement = targetType.getElementType();
  if (!targetElement.isSignlessInteger(32) &&
      !targetElement.isSignlessInteger(64)) {
    node.emitError() << targetRole << " must hold int32 or int64 class "
                     << "indices, got " << targetType;
    return failure();
  }
  // target.shape = input.shape without the class dimension (1).
  SmallVector<int64_t> expected{inputType.getDimSize(0)};
  llvm::append_range(expected, inputType.getShape().drop_front(2));
  bool matches = targetType.getRank() == inputType.getRank() - 1;
  for (int64_t d = 0; matches && d < targetType.getRank(); ++d)
    matches =
        mllm::mergeDims(targetType.getDimSize(d), expected[d]).has_value();
  if (!matches) {
    node.emitError() << targetRole << " must have shape "
                     << mllm::formatShape(expected) << " ([N, d1, ...] of "
                     << inputRole << " " << inputType << "), got "
                     << targetType;
    return failure();
  }

  Value weight = node.getInput(2);
  if (weight) {
    RankedTensorType weightType = NodeContext::getType(weight);
    int64_t classes = inputType.getDimSize(1);
    if (weightType.getElementType() != inputType.getElementType() ||
        weightType.getRank() != 1 ||
        !mllm::mergeDims(weightType.getDimSize(0), classes)) {
      node.emitError() << "weight must be a "
                       << RankedTensorType::get({classes},
                                                inputType.getElementType())
                       << " (one weight per class), got " << weightType;
      return failure();
    }
  }

  std::optional<int64_t> ignoreIndex;
  if (node.getAttr("ignore_index"))
    ignoreIndex = node.getIntAttr("ignore_index", 0);

  std::string name = node.getStringAttr("reduction", "mean");
  LossReduction reduction;
  if (name == "none") {
    reduction = LossReduction::None;
  } else if (name == "sum") {
    reduction = LossReduction::Sum;
  } else if (name == "mean") {
    reduction = LossReduction::Mean;
  } else {
    node.emitError() << "reduction '" << name
                     << "' is not one of none, sum, mean";
    return failure();
  }
  return LossOperands{*input, *target, weight, ignoreIndex, reduction};
}

/// `value` reduced over all of its dimensions to a rank-0 tensor.
template <typename OpTy> Expr reduceAll(NodeContext &node, Expr value) {
  if (failed(value))
    return failure();
  SmallVector<int64_t> axes = llvm::to_vector(
      llvm::seq<int64_t>(0, NodeContext::getType(*value).getRank()));
  return node.create<OpTy>(*value, axes, /*keepdims=*/false);
}

/// The negative log likelihood of the log-probabilities `ops.input`.
Expr negativeLogLikelihood(NodeContext &node, const LossOperands &ops) {
  RankedTensorType inputType = NodeContext::getType(ops.input);
  RankedTensorType targetType = NodeContext::getType(ops.target);
  Expr target = ops.target;
  Expr ignored = failure();
  if (ops.ignoreIndex) {
    ignored = cmp(node, mllm::CmpPredicate::eq, target,
                  scalar(node, target, *ops.ignoreIndex));
    target = select(node, ignored, scalar(node, target, 0), target);
  }
  if (failed(target))
    return failure();

  // The target as a [N, 1, d...] column picks one class per position.
  SmallVector<int64_t> columnShape(targetType.getShape());
  columnShape.insert(columnShape.begin() + 1, 1);
  Expr column = node.createWithType<mllm::ReshapeOp>(
      targetType.clone(columnShape), *target);
  if (failed(column))
    return failure();
  Expr picked =
      node.create<mllm::GatherElementsOp>(ops.input, *column, int64_t(1));
  if (failed(picked))
    return failure();
  Expr loss = unary<mllm::NegOp>(
      node, node.createWithType<mllm::ReshapeOp>(
                targetType.clone(inputType.getElementType()), *picked));

  Expr weight = failure();
  bool weighted = ops.weight || ops.ignoreIndex;
  if (ops.weight) {
    weight = node.create<mllm::GatherOp>(ops.weight, *target, int64_t(0));
    loss = binary<mllm::MulOp>(node, loss, weight);
  }
  if (ops.ignoreIndex) {
    Expr zero = scalar(node, loss, 0);
    loss = select(node, ignored, zero, loss);
    weight = select(node, ignored, zero,
                    ops.weight ? weight : scalar(node, loss, 1));
  }

  switch (ops.reduction) {
  case LossReduction::None:
    return loss;
  case LossReduction::Sum:
    return reduceAll<mllm::ReduceSumOp>(node, loss);
  case LossReduction::Mean:
    // The weighted mean divides by the weights of the counted positions.
    if (!weighted)
      return reduceAll<mllm::ReduceMeanOp>(node, loss);
    return binary<mllm::DivOp>(node, reduceAll<mllm::ReduceSumOp>(node, loss),
                               reduceAll<mllm::ReduceSumOp>(node, weight));
  }
  llvm_unreachable("unknown loss reduction");
}

/// NegativeLogLikelihoodLoss (opset 12; 13 and 22 add types).
LogicalResult convertNegativeLogLikelihoodLoss(NodeContext &node) {
  FailureOr<LossOperands> ops = getLossOperands(node, "input", "target");
  if (failed(ops))
    return failure();
  return node.setResult(negativeLogLikelihood(node, *ops));
}

/// SoftmaxCrossEntropyLoss (opset 12; 13 adds types), with the optional
/// log_prob output.
LogicalResult convertSoftmaxCrossEntropyLoss(NodeContext &node) {
  FailureOr<LossOperands> ops = getLossOperands(node, "scores", "labels");
  if (failed(ops))
    return failure();
  Expr logProb = logSoftmax(node, ops->input, 1);
  if (failed(logProb))
    return failure();
  ops->input = *logProb;
  if (failed(node.setResult(negativeLogLikelihood(node, *ops))))
    return failure();
  if (node.hasOutput(1))
    node.setOutput(1, *logProb);
  return success();
}

} // namespace

void mllmc::onnx_frontend::registerLossOps(OpRegistry &registry) {
  registry.add("NegativeLogLikelihoodLoss", 12,
               convertNegativeLogLikelihoodLoss,
               "composed of gather_elements; weight, ignore_index, reduction "
               "none, sum, mean");
  registry.add("SoftmaxCrossEntropyLoss", 12, convertSoftmaxCrossEntropyLoss,
               "LogSoftmax and the composed NegativeLogLikelihoodLoss; "
               "log_prob output");
}
