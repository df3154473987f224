//===- MicrosoftNormalization.cpp - ONNX Runtime's fused norm ops ---------===//
//
// The normalizations ONNX Runtime's transformer optimizer writes:
//
// - SimplifiedLayerNormalization (RMSNorm; ONNX Runtime registers it in the
//   default domain, since version 1): mllm.rms_norm, and its optional
//   inv_std_var output 1 / sqrt(mean(x^2) + epsilon) computed in the stash
//   type;
// - com.microsoft SkipLayerNormalization and SkipSimplifiedLayerNormalization
//   (the residual add fused into the norm of the last axis, epsilon 1e-12 by
//   default): s = input + skip (+ bias), then mllm.layer_norm or
//   mllm.rms_norm of s; s itself is the optional input_skip_bias_sum output.
//   Their mean and inv_std_var outputs are training-only and ONNX Runtime's
//   CPU kernel does not compute them either: a model that uses them is
//   rejected.
//
//===----------------------------------------------------------------------===//

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

/// ONNX Runtime's default epsilon of the Skip*LayerNormalization ops.
constexpr float kSkipEpsilon = 1e-12f;

/// The optional inv_std_var output of SimplifiedLayerNormalization:
/// 1 / sqrt(mean(x^2) + epsilon) over [axis, rank), the reduced dimensions
/// kept as 1, computed in the stash type (default f32).
LogicalResult convertInvStdVar(NodeContext &node, Value input, int64_t axis,
                               float epsilon) {
  Expr x = castToStashType(node, input);
  Expr meanSquare =
      meanOverNormAxes(node, binary<mllm::MulOp>(node, x, x), axis);
  Expr invStdVar = invStdDev(node, meanSquare, epsilon);
  if (failed(invStdVar))
    return failure();
  node.setOutput(1, *invStdVar);
  return success();
}

/// SimplifiedLayerNormalization: X, scale; axis, epsilon, stash_type.
LogicalResult convertSimplifiedLayerNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<NormOperands> norm = getNormOperands(node);
  if (failed(norm))
    return failure();
  if (failed(node.setResult(node.create<mllm::RmsNormOp>(
          norm->input, norm->scale, norm->axis, norm->epsilon))))
    return failure();
  if (!node.hasOutput(1))
    return success();
  return convertInvStdVar(node, norm->input, norm->axis, norm->epsilon);
}

/// The residual sum input + skip (+ bias) of the Skip*LayerNormalization ops,
/// bound to output 3 when the model uses it. `biasIndex` is the position of
/// the optional bias input. Rejects the training-only outputs 1 and 2.
FailureOr<Value> createSkipSum(NodeContext &node, unsigned biasIndex) {
  if (node.hasOutput(1) || node.hasOutput(2)) {
    node.emitError() << "the outputs mean and inv_std_var are not supported "
                        "(training only; ONNX Runtime's CPU kernel does not "
                        "compute them either); drop them from the node";
    return failure();
  }
  Expr input = node.getRequiredInput(0);
  Expr skip = node.getRequiredInput(1);
  Expr sum = binary<mllm::AddOp>(node, input, skip);
  if (Value bias = node.getInput(biasIndex))
    sum = binary<mllm::AddOp>(node, sum, bias);
  if (failed(sum))
    return failure();
  node.setOutput(3, *sum);
  return sum;
}

/// com.microsoft SkipLayerNormalization: input, skip, gamma[, beta[, bias]].
LogicalResult convertSkipLayerNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 5)))
    return failure();
  FailureOr<Value> gamma = node.getRequiredInput(2);
  if (failed(gamma))
    return failure();
  FailureOr<Value> sum = createSkipSum(node, /*biasIndex=*/4);
  if (failed(sum))
    return failure();
  int64_t axis = NodeContext::getType(*sum).getRank() - 1;
  return node.setResult(node.create<mllm::LayerNormOp>(
      *sum, *gamma, node.getInput(3), axis,
      node.getFloatAttr("epsilon", kSkipEpsilon)));
}

/// com.microsoft SkipSimplifiedLayerNormalization: input, skip, gamma[, bias].
LogicalResult convertSkipSimplifiedLayerNorm(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 4)))
    return failure();
  FailureOr<Value> gamma = node.getRequiredInput(2);
  if (failed(gamma))
    return failure();
  FailureOr<Value> sum = createSkipSum(node, /*biasIndex=*/3);
  if (failed(sum))
    return failure();
  int64_t axis = NodeContext::getType(*sum).getRank() - 1;
  return node.setResult(node.create<mllm::RmsNormOp>(
      *sum, *gamma, axis, node.getFloatAttr("epsilon", kSkipEpsilon)));
}

} // namespace

void mllmc::onnx_frontend::registerMicrosoftNormalizationOps(
    OpRegistry &registry) {
  registry.add("SimplifiedLayerNormalization", 1, convertSimplifiedLayerNorm,
               "ONNX Runtime's RMSNorm (registered in the default domain): "
               "into mllm.rms_norm; inv_std_var output in the stash type");
  registry.add("SkipLayerNormalization", 1, convertSkipLayerNorm,
               "ONNX Runtime contrib op: residual add (+ bias) and "
               "mllm.layer_norm of the last axis; input_skip_bias_sum output; "
               "no mean/inv_std_var outputs",
               "com.microsoft");
  registry.add("SkipSimplifiedLayerNormalization", 1,
               convertSkipSimplifiedLayerNorm,
               "ONNX Runtime contrib op: residual add (+ bias) and "
               "mllm.rms_norm of the last axis; input_skip_bias_sum output; "
               "no mean/inv_std_var outputs",
               "com.microsoft");
}
