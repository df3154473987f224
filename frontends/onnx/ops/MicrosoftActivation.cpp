//===- MicrosoftActivation.cpp - ONNX Runtime's GELU contrib ops ----------===//
//
// The GELU forms ONNX Runtime's transformer optimizer writes (com.microsoft
// domain) import into mllm.gelu and mllm.quick_gelu, a bias input into an
// mllm.add in front:
//
// - Gelu(X): erf GELU;
// - BiasGelu(A, B): erf GELU of A + B;
// - FastGelu(X[, bias]): tanh GELU, 0.5 x (1 + tanh(0.797885 x + 0.035677
//   x^3)), which is mllm.gelu's tanh approximation;
// - QuickGelu(X) {alpha = 1.702}: x * sigmoid(alpha * x); CLIP's 1.702 is
//   mllm.quick_gelu, another alpha is spelled with mllm.sigmoid.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mllmc::onnx_frontend::expr;
using namespace mlir;

namespace {

/// Input 0 plus the optional input `biasIndex` (when given).
Expr addBias(NodeContext &node, unsigned biasIndex) {
  Expr input = node.getRequiredInput(0);
  if (Value bias = node.getInput(biasIndex))
    return binary<mllm::AddOp>(node, input, bias);
  return input;
}

Expr gelu(NodeContext &node, Expr input,
          mllm::GeluApproximation approximation) {
  if (failed(input))
    return failure();
  return node.create<mllm::GeluOp>(*input, approximation);
}

LogicalResult convertGelu(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  return node.setResult(
      gelu(node, node.getRequiredInput(0), mllm::GeluApproximation::none));
}

LogicalResult convertBiasGelu(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)) || failed(node.getRequiredInput(1)))
    return failure();
  return node.setResult(
      gelu(node, addBias(node, 1), mllm::GeluApproximation::none));
}

LogicalResult convertFastGelu(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 2)))
    return failure();
  return node.setResult(
      gelu(node, addBias(node, 1), mllm::GeluApproximation::tanh));
}

LogicalResult convertQuickGelu(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  Expr x = node.getRequiredInput(0);
  float alpha = node.getFloatAttr("alpha", 1.702f);
  if (alpha == 1.702f)
    return node.setResult(unary<mllm::QuickGeluOp>(node, x));
  return node.setResult(binary<mllm::MulOp>(
      node, x,
      unary<mllm::SigmoidOp>(
          node, binary<mllm::MulOp>(node, x, scalar(node, x, alpha)))));
}

} // namespace

void mllmc::onnx_frontend::registerMicrosoftActivationOps(
    OpRegistry &registry) {
  constexpr StringRef domain = "com.microsoft";
  registry.add("Gelu", 1, convertGelu, "ONNX Runtime contrib op: erf GELU",
               domain);
  registry.add("BiasGelu", 1, convertBiasGelu,
               "ONNX Runtime contrib op: erf GELU of A + B", domain);
  registry.add("FastGelu", 1, convertFastGelu,
               "ONNX Runtime contrib op: tanh GELU, optional bias", domain);
  registry.add("QuickGelu", 1, convertQuickGelu,
               "ONNX Runtime contrib op: x * sigmoid(alpha * x), any alpha",
               domain);
}
