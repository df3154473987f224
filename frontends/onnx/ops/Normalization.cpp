//===- Normalization.cpp - LayerNormalization and RMSNormalization --------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// Reads the `axis` attribute (default -1) and normalizes it to [0, rank).
FailureOr<int64_t> getNormalizedAxis(NodeContext &node, Value input) {
  int64_t rank = NodeContext::getType(input).getRank();
  int64_t axis = node.getIntAttr("axis", -1);
  if (axis < -rank || axis >= rank) {
    node.emitError() << "axis " << axis
                     << " is out of range for an input of rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

/// LayerNormalization (opset 17). The optional Mean and InvStdDev outputs
/// (training only) are not supported.
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
  return node.setResult(node.create<mllm::LayerNormOp>(
      *input, *scale, node.getInput(2), *axis, epsilon));
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
               "Y only (Mean and InvStdDev outputs unsupported)");
  registry.add("RMSNormalization", 23, convertRmsNorm, "");
}
