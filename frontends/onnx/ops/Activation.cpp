//===- Activation.cpp - Softmax and GELU ----------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

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
  int64_t rank = NodeContext::getType(*input).getRank();
  int64_t axis = node.getIntAttr("axis", -1);
  if (axis < -rank || axis >= rank) {
    node.emitError() << "axis " << axis << " is out of range for an input of "
                     << "rank " << rank;
    return failure();
  }
  if (axis < 0)
    axis += rank;
  return node.setResult(node.create<mllm::SoftmaxOp>(*input, axis));
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

} // namespace

void mllmc::onnx_frontend::registerActivationOps(OpRegistry &registry) {
  registry.add("Softmax", 13, convertSoftmax,
               "one axis (opset 13 semantics), negative axis normalized");
  registry.add("Gelu", 20, convertGelu, "approximate = none or tanh");
}
