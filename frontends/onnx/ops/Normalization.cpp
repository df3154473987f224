//===- Normalization.cpp - Layer, RMS and Lp normalization ----------------===//

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

/// LpNormalization: x / ||x||_p along `axis` (p = 1 or 2); a zero norm
/// gives 0.
LogicalResult convertLpNormalization(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  Expr x = node.getRequiredInput(0);
  if (failed(x))
    return failure();
  int64_t p = node.getIntAttr("p", 2);
  if (p != 1 && p != 2) {
    node.emitError() << "p = " << p << " is not supported; expected 1 or 2";
    return failure();
  }
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", -1), NodeContext::getType(*x).getRank());
  if (failed(axis))
    return failure();
  Expr magnitude =
      p == 1 ? unary<mllm::AbsOp>(node, x) : binary<mllm::MulOp>(node, x, x);
  if (failed(magnitude))
    return failure();
  Expr norm =
      node.create<mllm::ReduceSumOp>(*magnitude, SmallVector<int64_t>{*axis},
                                     /*keepdims=*/true);
  if (p == 2)
    norm = unary<mllm::SqrtOp>(node, norm);
  Expr zero = scalar(node, x, 0.0);
  Expr quotient = binary<mllm::DivOp>(node, x, norm);
  Expr isZero = cmp(node, mllm::CmpPredicate::eq, norm, zero);
  return node.setResult(select(node, isZero, zero, quotient));
}

} // namespace

void mllmc::onnx_frontend::registerNormalizationOps(OpRegistry &registry) {
  registry.add("LayerNormalization", 17, convertLayerNorm,
               "Mean and InvStdDev outputs computed in the stash type");
  registry.add("RMSNormalization", 23, convertRmsNorm, "");
  registry.add("LpNormalization", 1, convertLpNormalization,
               "p = 1 or 2; a zero norm gives 0");
}
