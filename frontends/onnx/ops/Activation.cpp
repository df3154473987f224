//===- Activation.cpp - Softmax, GELU and the other activations -----------===//
//
// Softmax and Gelu import into their mllm ops; the other activations are
// short formulas over elementwise mllm ops (ops/Expr.h).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/Expr.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// Softmax with opset-13 semantics: one axis (default -1), normalized to
/// [0, rank).
LogicalResult convertSoftmax(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", -1), NodeContext::getType(*input).getRank());
  if (failed(axis))
    return failure();
  return node.setResult(node.create<mllm::SoftmaxOp>(*input, *axis));
}

/// LogSoftmax (opset 13 semantics, one axis).
LogicalResult convertLogSoftmax(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", -1), NodeContext::getType(*input).getRank());
  if (failed(axis))
    return failure();
  return node.setResult(expr::logSoftmax(node, *input, *axis));
}

/// Gelu (opset 20): approximate = "none" (erf) or "tanh".
LogicalResult convertGelu(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  std::string approximate = node.getStringAttr("approximate", "none");
  mllm::GeluApproximation approximation;
  if (approximate == "none") {
    approximation = mllm::GeluApproximation::none;
  } else if (approximate == "tanh") {
    approximation = mllm::GeluApproximation::tanh;
  } else {
    node.emitError() << "unknown approximate = '" << approximate
                     << "'; expected 'none' or 'tanh'";
    return failure();
  }
  return node.setResult(node.create<mllm::GeluOp>(*input, approximation));
}

using namespace mllmc::onnx_frontend::expr;
using mllm::CmpPredicate;

/// The single float input of an activation.
FailureOr<Value> getFloatInput(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  if (!isa<FloatType>(NodeContext::getType(*input).getElementType())) {
    node.emitError() << "expected a float input, got "
                     << NodeContext::getType(*input);
    return failure();
  }
  return input;
}

/// max(0, min(1, alpha * x + beta)).
Expr hardSigmoid(NodeContext &node, Expr x, double alpha, double beta) {
  Expr linear = binary<mllm::AddOp>(
      node, binary<mllm::MulOp>(node, x, scalar(node, x, alpha)),
      scalar(node, x, beta));
  return binary<mllm::MaxOp>(
      node, binary<mllm::MinOp>(node, linear, scalar(node, x, 1.0)),
      scalar(node, x, 0.0));
}

/// log(1 + exp(x)).
Expr softplus(NodeContext &node, Expr x) {
  return unary<mllm::LogOp>(
      node, binary<mllm::AddOp>(node, unary<mllm::ExpOp>(node, x),
                                scalar(node, x, 1.0)));
}

LogicalResult convertLeakyRelu(NodeContext &node) {
  Expr x = getFloatInput(node);
  double alpha = node.getFloatAttr("alpha", 0.01f);
  return node.setResult(
      select(node, cmp(node, CmpPredicate::lt, x, scalar(node, x, 0.0)),
             binary<mllm::MulOp>(node, x, scalar(node, x, alpha)), x));
}

LogicalResult convertPRelu(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  Expr x = node.getRequiredInput(0);
  Expr slope = node.getRequiredInput(1);
  return node.setResult(
      select(node, cmp(node, CmpPredicate::lt, x, scalar(node, x, 0.0)),
             binary<mllm::MulOp>(node, x, slope), x));
}

LogicalResult convertElu(NodeContext &node) {
  Expr x = getFloatInput(node);
  double alpha = node.getFloatAttr("alpha", 1.0f);
  Expr negative =
      binary<mllm::MulOp>(node,
                          binary<mllm::SubOp>(node, unary<mllm::ExpOp>(node, x),
                                              scalar(node, x, 1.0)),
                          scalar(node, x, alpha));
  return node.setResult(select(
      node, cmp(node, CmpPredicate::lt, x, scalar(node, x, 0.0)), negative, x));
}

LogicalResult convertSelu(NodeContext &node) {
  Expr x = getFloatInput(node);
  double alpha = node.getFloatAttr("alpha", 1.67326319217681884765625f);
  double gamma = node.getFloatAttr("gamma", 1.05070102214813232421875f);
  Expr negative =
      binary<mllm::SubOp>(node,
                          binary<mllm::MulOp>(node, unary<mllm::ExpOp>(node, x),
                                              scalar(node, x, alpha)),
                          scalar(node, x, alpha));
  Expr chosen = select(
      node, cmp(node, CmpPredicate::le, x, scalar(node, x, 0.0)), negative, x);
  return node.setResult(
      binary<mllm::MulOp>(node, chosen, scalar(node, x, gamma)));
}

/// Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
LogicalResult convertCelu(NodeContext &node) {
  Expr x = getFloatInput(node);
  double alpha = node.getFloatAttr("alpha", 1.0f);
  Expr expm1 = binary<mllm::SubOp>(
      node,
      unary<mllm::ExpOp>(node,
                         binary<mllm::DivOp>(node, x, scalar(node, x, alpha))),
      scalar(node, x, 1.0));
  Expr negative = binary<mllm::MinOp>(
      node, binary<mllm::MulOp>(node, expm1, scalar(node, x, alpha)),
      scalar(node, x, 0.0));
  return node.setResult(binary<mllm::AddOp>(
      node, binary<mllm::MaxOp>(node, x, scalar(node, x, 0.0)), negative));
}

LogicalResult convertHardSigmoid(NodeContext &node) {
  Expr x = getFloatInput(node);
  return node.setResult(hardSigmoid(node, x, node.getFloatAttr("alpha", 0.2f),
                                    node.getFloatAttr("beta", 0.5f)));
}

LogicalResult convertHardSwish(NodeContext &node) {
  Expr x = getFloatInput(node);
  return node.setResult(
      binary<mllm::MulOp>(node, x, hardSigmoid(node, x, 1.0 / 6.0, 0.5)));
}

LogicalResult convertSoftplus(NodeContext &node) {
  return node.setResult(softplus(node, getFloatInput(node)));
}

LogicalResult convertSoftsign(NodeContext &node) {
  Expr x = getFloatInput(node);
  return node.setResult(
      binary<mllm::DivOp>(node, x,
                          binary<mllm::AddOp>(node, unary<mllm::AbsOp>(node, x),
                                              scalar(node, x, 1.0))));
}

/// Mish: x * tanh(softplus(x)).
LogicalResult convertMish(NodeContext &node) {
  Expr x = getFloatInput(node);
  return node.setResult(binary<mllm::MulOp>(
      node, x, unary<mllm::TanhOp>(node, softplus(node, x))));
}

LogicalResult convertThresholdedRelu(NodeContext &node) {
  Expr x = getFloatInput(node);
  double alpha = node.getFloatAttr("alpha", 1.0f);
  return node.setResult(
      select(node, cmp(node, CmpPredicate::gt, x, scalar(node, x, alpha)), x,
             scalar(node, x, 0.0)));
}

/// Shrink: x + bias below -lambd, x - bias above lambd, else 0.
LogicalResult convertShrink(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  Expr x = node.getRequiredInput(0);
  double bias = node.getFloatAttr("bias", 0.0f);
  double lambd = node.getFloatAttr("lambd", 0.5f);
  Expr above =
      select(node, cmp(node, CmpPredicate::gt, x, scalar(node, x, lambd)),
             binary<mllm::SubOp>(node, x, scalar(node, x, bias)),
             scalar(node, x, 0.0));
  return node.setResult(
      select(node, cmp(node, CmpPredicate::lt, x, scalar(node, x, -lambd)),
             binary<mllm::AddOp>(node, x, scalar(node, x, bias)), above));
}

/// Swish with `alpha` (opset 24): x * sigmoid(alpha * x); mllm.silu when
/// alpha is 1.
Expr swish(NodeContext &node, Expr x, double alpha) {
  if (alpha == 1.0)
    return unary<mllm::SiluOp>(node, x);
  return binary<mllm::MulOp>(
      node, x,
      unary<mllm::SigmoidOp>(
          node, binary<mllm::MulOp>(node, x, scalar(node, x, alpha))));
}

LogicalResult convertSwish(NodeContext &node) {
  Expr x = getFloatInput(node);
  return node.setResult(swish(node, x, node.getFloatAttr("alpha", 1.0f)));
}

/// SwiGLU (opset 28): Swish(A, alpha) * B.
LogicalResult convertSwiGlu(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  Expr gate = node.getRequiredInput(0);
  Expr value = node.getRequiredInput(1);
  return node.setResult(binary<mllm::MulOp>(
      node, swish(node, gate, node.getFloatAttr("alpha", 1.0f)), value));
}

} // namespace

void mllmc::onnx_frontend::registerActivationOps(OpRegistry &registry) {
  registry.add("Softmax", 13, convertSoftmax,
               "one axis (opset 13 semantics), negative axis normalized");
  registry.add("LogSoftmax", 13, convertLogSoftmax,
               "one axis; (x - max) - log(sum(exp(x - max)))");
  registry.add("Gelu", 20, convertGelu, "approximate = none or tanh");
  registry.add("LeakyRelu", 16, convertLeakyRelu, "decomposed");
  registry.add("PRelu", 16, convertPRelu, "decomposed");
  registry.add("Elu", 6, convertElu, "decomposed");
  registry.add("Selu", 6, convertSelu, "decomposed");
  registry.add("Celu", 12, convertCelu, "decomposed");
  registry.add("HardSigmoid", 6, convertHardSigmoid, "decomposed");
  registry.add("HardSwish", 14, convertHardSwish, "decomposed");
  registry.add("Softplus", 1, convertSoftplus, "decomposed");
  registry.add("Softsign", 1, convertSoftsign, "decomposed");
  registry.add("Mish", 18, convertMish, "decomposed");
  registry.add("ThresholdedRelu", 10, convertThresholdedRelu, "decomposed");
  registry.add("Shrink", 9, convertShrink, "decomposed");
  registry.add("Swish", 24, convertSwish, "mllm.silu when alpha = 1");
  registry.add("SwiGLU", 28, convertSwiGlu, "Swish(A, alpha) * B");
}
