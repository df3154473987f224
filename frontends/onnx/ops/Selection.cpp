//===- Selection.cpp - TopK, CumSum, ScatterND ----------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"

#include "dialects/mllm/IR/MllmOps.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// The single value of constant input `i` (a 0-D or one-element 1-D
/// tensor), naming `role` in the errors.
FailureOr<int64_t> getConstantScalarInput(NodeContext &node, unsigned i,
                                          StringRef role) {
  FailureOr<SmallVector<int64_t>> values =
      node.getRequiredConstantInts(i, role);
  if (failed(values))
    return failure();
  if (values->size() != 1) {
    node.emitError() << role << " must hold one value, got " << values->size();
    return failure();
  }
  return values->front();
}

/// TopK (opset 10: K as an input; 11: largest, sorted). K must be known at
/// compile time: a constant, or a graph input bound with --bind-input.
LogicalResult convertTopK(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> k = getConstantScalarInput(node, 1, "K");
  if (failed(k))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", -1), NodeContext::getType(*input).getRank());
  if (failed(axis))
    return failure();
  bool largest = node.getIntAttr("largest", 1) != 0;
  bool sorted = node.getIntAttr("sorted", 1) != 0;
  FailureOr<Value> values =
      node.create<mllm::TopKOp>(Type(), *input, *k, *axis, largest, sorted);
  if (failed(values))
    return failure();
  node.setOutput(0, *values);
  node.setOutput(1, values->getDefiningOp()->getResult(1));
  return success();
}

/// CumSum (opset 11): the axis is a constant input (or bound graph input).
LogicalResult convertCumSum(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> axisValue = getConstantScalarInput(node, 1, "axis");
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis =
      node.normalizeAxis(*axisValue, NodeContext::getType(*input).getRank());
  if (failed(axis))
    return failure();
  bool exclusive = node.getIntAttr("exclusive", 0) != 0;
  bool reverse = node.getIntAttr("reverse", 0) != 0;
  return node.setResult(
      node.create<mllm::CumsumOp>(*input, *axis, exclusive, reverse));
}

/// ScatterND (opset 11; reduction add/mul since 16, max/min since 18).
LogicalResult convertScatterND(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 3)))
    return failure();
  FailureOr<Value> data = node.getRequiredInput(0);
  FailureOr<Value> indices = node.getRequiredInput(1);
  FailureOr<Value> updates = node.getRequiredInput(2);
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  std::string name = node.getStringAttr("reduction", "none");
  std::optional<mllm::ScatterReduction> reduction =
      mllm::symbolizeScatterReduction(name);
  if (!reduction) {
    node.emitError() << "reduction '" << name
                     << "' is not one of none, add, mul, max, min";
    return failure();
  }
  return node.setResult(
      node.create<mllm::ScatterNdOp>(*data, *indices, *updates, *reduction));
}

} // namespace

void mllmc::onnx_frontend::registerSelectionOps(OpRegistry &registry) {
  registry.add("CumSum", 11, convertCumSum,
               "axis a constant input (or --bind-input); exclusive, reverse");
  registry.add("ScatterND", 11, convertScatterND,
               "run-time indices (negative too); reduction none, add, mul, "
               "max, min");
  registry.add("TopK", 10, convertTopK,
               "K a constant input (or --bind-input); axis, largest, sorted; "
               "ties by lower index; O(k * n) per row");
}
