//===- Normalization.cpp - LayerNormalization and RMSNormalization --------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// Reads the `axis` attribute (default -1) and normalizes it to [0, rank).
FailureOr<int64_t> getNormalizedAxis(NodeContext &node, Value input) {
  return node.normalizeAxis(node.getIntAttr("axis", -1),
                            NodeContext::getType(input).getRank());
}

/// The optional Mean and InvStdDev outputs of LayerNormalization: the mean
/// and 1 / sqrt(variance + epsilon) over [axis, rank), with the reduced
/// dimensions kept as 1, computed in the stash type (default f32).
LogicalResult convertLayerNormStatistics(NodeContext &node, Value input,
                                         int64_t axis, float epsilon) {
  int64_t stashType = node.getIntAttr("stash_type", onnx::TensorProto::FLOAT);
  Type stash = convertElementType(node.getContext(), stashType);
  if (!stash || !isa<FloatType>(stash)) {
    node.emitError() << "unsupported stash_type " << stashType;
    return failure();
  }
  RankedTensorType type = NodeContext::getType(input);
  Expr x = input;
  if (type.getElementType() != stash)
    x = node.createWithType<mllm::CastOp>(type.clone(stash), input);
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(axis, type.getRank()));
  Expr mean = failed(x) ? x
                        : node.create<mllm::ReduceMeanOp>(*x, axes,
                                                          /*keepdims=*/true);
  Expr centered = binary<mllm::SubOp>(node, x, mean);
  Expr squares = binary<mllm::MulOp>(node, centered, centered);
  Expr variance =
      failed(squares)
          ? squares
          : node.create<mllm::ReduceMeanOp>(*squares, axes, /*keepdims=*/true);
  Expr invStdDev = unary<mllm::RsqrtOp>(
      node,
      binary<mllm::AddOp>(node, variance, scalar(node, variance, epsilon)));
  if (failed(mean) || failed(invStdDev))
    return failure();
  node.setOutput(1, *mean);
  node.setOutput(2, *invStdDev);
  return success();
}

/// LayerNormalization (opset 17), with the optional Mean and InvStdDev
/// outputs when the model uses them.
LogicalResult convertLayerNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> scale = node.getRequiredInput(1);
  if (failed(input) || failed(scale))
    return failure();
  FailureOr<int64_t> axis = getNormalizedAxis(node, *input);
  if (failed(axis))
    return failure();
  float epsilon = node.getFloatAttr("epsilon", 1e-5f);
  if (failed(node.setResult(node.create<mllm::LayerNormOp>(
          *input, *scale, node.getInput(2), *axis, epsilon))))
    return failure();
  if (!node.hasOutput(1) && !node.hasOutput(2))
    return success();
  return convertLayerNormStatistics(node, *input, *axis, epsilon);
}

/// RMSNormalization (opset 23).
LogicalResult convertRmsNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> scale = node.getRequiredInput(1);
  if (failed(input) || failed(scale))
    return failure();
  FailureOr<int64_t> axis = getNormalizedAxis(node, *input);
  if (failed(axis))
    return failure();
  float epsilon = node.getFloatAttr("epsilon", 1e-5f);
  return node.setResult(
      node.create<mllm::RmsNormOp>(*input, *scale, *axis, epsilon));
}

} // namespace

void mllmc::onnx_frontend::registerNormalizationOps(OpRegistry &registry) {
  registry.add("LayerNormalization", 17, convertLayerNorm,
               "Mean and InvStdDev outputs computed in the stash type");
  registry.add("RMSNormalization", 23, convertRmsNorm, "");
}
