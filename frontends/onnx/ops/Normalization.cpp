//===- Normalization.cpp - LayerNormalization and RMSNormalization --------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/ops/Expr.h"
#include "frontends/onnx/ops/NormUtils.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// The optional Mean and InvStdDev outputs of LayerNormalization: the mean
/// and 1 / sqrt(variance + epsilon) over [axis, rank), with the reduced
/// dimensions kept as 1, computed in the stash type (default f32).
LogicalResult convertLayerNormStatistics(NodeContext &node, Value input,
                                         int64_t axis, float epsilon) {
  Expr x = castToStashType(node, input);
  Expr mean = meanOverNormAxes(node, x, axis);
  Expr centered = binary<mllm::SubOp>(node, x, mean);
  Expr variance = meanOverNormAxes(
      node, binary<mllm::MulOp>(node, centered, centered), axis);
  Expr inverse = invStdDev(node, variance, epsilon);
  if (failed(mean) || failed(inverse))
    return failure();
  node.setOutput(1, *mean);
  node.setOutput(2, *inverse);
  return success();
}

/// LayerNormalization (opset 17), with the optional Mean and InvStdDev
/// outputs when the model uses them.
LogicalResult convertLayerNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<NormOperands> norm = getNormOperands(node);
  if (failed(norm))
    return failure();
  if (failed(node.setResult(node.create<mllm::LayerNormOp>(
          norm->input, norm->scale, node.getInput(2), norm->axis,
          norm->epsilon))))
    return failure();
  if (!node.hasOutput(1) && !node.hasOutput(2))
    return success();
  return convertLayerNormStatistics(node, norm->input, norm->axis,
                                    norm->epsilon);
}

/// RMSNormalization (opset 23).
LogicalResult convertRmsNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<NormOperands> norm = getNormOperands(node);
  if (failed(norm))
    return failure();
  return node.setResult(node.create<mllm::RmsNormOp>(
      norm->input, norm->scale, norm->axis, norm->epsilon));
}

} // namespace

void mllmc::onnx_frontend::registerNormalizationOps(OpRegistry &registry) {
  registry.add("LayerNormalization", 17, convertLayerNorm,
               "Mean and InvStdDev outputs computed in the stash type");
  registry.add("RMSNormalization", 23, convertRmsNorm, "");
}
