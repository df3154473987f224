//===- Selection.cpp - TopK, Cum{Sum,Prod}, Scatter*, Gather{ND,Elements} -===//

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

/// CumSum (opset 11) and CumProd (opset 26): the axis is a constant input
/// (or bound graph input).
template <typename OpTy> LogicalResult convertCumulative(NodeContext &node) {
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
  return node.setResult(node.create<OpTy>(*input, *axis, exclusive, reverse));
}

/// The reduction attribute of the scatter ops.
FailureOr<mllm::ScatterReduction> getScatterReduction(NodeContext &node) {
  std::string name = node.getStringAttr("reduction", "none");
  std::optional<mllm::ScatterReduction> reduction =
      mllm::symbolizeScatterReduction(name);
  if (!reduction) {
    node.emitError() << "reduction '" << name
                     << "' is not one of none, add, mul, max, min";
    return failure();
  }
  return *reduction;
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
  FailureOr<mllm::ScatterReduction> reduction = getScatterReduction(node);
  if (failed(reduction))
    return failure();
  return node.setResult(
      node.create<mllm::ScatterNdOp>(*data, *indices, *updates, *reduction));
}

/// GatherElements (opset 11; 13 adds types): numpy take_along_axis.
LogicalResult convertGatherElements(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> data = node.getRequiredInput(0);
  FailureOr<Value> indices = node.getRequiredInput(1);
  if (failed(data) || failed(indices))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", 0), NodeContext::getType(*data).getRank());
  if (failed(axis))
    return failure();
  return node.setResult(
      node.create<mllm::GatherElementsOp>(*data, *indices, *axis));
}

/// ScatterElements (opset 11; reduction add/mul since 16, max/min since 18)
/// and its deprecated opset-9 name Scatter (no reduction).
LogicalResult convertScatterElements(NodeContext &node) {
  if (failed(node.checkNumInputs(3, 3)))
    return failure();
  FailureOr<Value> data = node.getRequiredInput(0);
  FailureOr<Value> indices = node.getRequiredInput(1);
  FailureOr<Value> updates = node.getRequiredInput(2);
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(
      node.getIntAttr("axis", 0), NodeContext::getType(*data).getRank());
  FailureOr<mllm::ScatterReduction> reduction = getScatterReduction(node);
  if (failed(axis) || failed(reduction))
    return failure();
  return node.setResult(node.create<mllm::ScatterElementsOp>(
      *data, *indices, *updates, *axis, *reduction));
}

/// GatherND at constant indices with batch_dims = 0, as the dynamo exporter
/// writes advanced indexing by constant positions (transformers' padding
/// mask: `attention_mask[batch_idx, kv_idx]` at static sizes): an
/// mllm.gather along the first axis of the data with its first k dimensions
/// (k = indices.shape[-1]) flattened into one, the index tuples checked and
/// turned into positions at compile time.
LogicalResult convertConstantGatherND(NodeContext &node, Value data,
                                      ArrayRef<int64_t> indices) {
  RankedTensorType dataType = NodeContext::getType(data);
  RankedTensorType indicesType = NodeContext::getType(node.getInput(1));
  ArrayRef<int64_t> dataShape = dataType.getShape();
  int64_t k = indicesType.getShape().back();
  // Each index tuple becomes one position in the flattened leading dims.
  SmallVector<int64_t> positions;
  for (size_t start = 0; start < indices.size(); start += k) {
    int64_t position = 0;
    for (int64_t j = 0; j < k; ++j) {
      int64_t index = indices[start + j], size = dataShape[j];
      if (index < -size || index >= size) {
        node.emitError() << "index " << index << " is out of range for "
                         << "dimension " << j << " of " << dataType;
        return failure();
      }
      position = position * size + (index < 0 ? index + size : index);
    }
    positions.push_back(position);
  }
  SmallVector<int64_t> flatShape = {1};
  for (int64_t j = 0; j < k; ++j)
    flatShape.front() *= dataShape[j];
  llvm::append_range(flatShape, dataShape.drop_front(k));
  FailureOr<Value> flat =
      node.createWithType<mllm::ReshapeOp>(dataType.clone(flatShape), data);
  if (failed(flat))
    return failure();
  auto positionsType = RankedTensorType::get(indicesType.getShape().drop_back(),
                                             node.getBuilder().getI64Type());
  Value positionsValue = node.createConstant(
      DenseElementsAttr::get(positionsType, ArrayRef<int64_t>(positions)));
  return node.setResult(
      node.create<mllm::GatherOp>(*flat, positionsValue, int64_t(0)));
}

/// GatherND (opset 11; batch_dims since 12). Constant indices without batch
/// dims at static shapes become an mllm.gather (convertConstantGatherND);
/// run-time indices (the dynamo exporter's padding mask at symbolic sizes)
/// and batch_dims become an mllm.gather_nd.
LogicalResult convertGatherND(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 2)))
    return failure();
  FailureOr<Value> data = node.getRequiredInput(0);
  FailureOr<Value> indices = node.getRequiredInput(1);
  if (failed(data) || failed(indices))
    return failure();
  RankedTensorType dataType = NodeContext::getType(*data);
  RankedTensorType indicesType = NodeContext::getType(*indices);
  int64_t batchDims = node.getIntAttr("batch_dims", 0);
  int64_t indexRank = indicesType.getRank();
  if (indexRank == 0 || indicesType.isDynamicDim(indexRank - 1)) {
    node.emitError() << "indices must have rank >= 1 and a static last "
                        "dimension, got "
                     << indicesType;
    return failure();
  }
  if (batchDims < 0 || batchDims >= indexRank) {
    node.emitError() << "batch_dims = " << batchDims << " must lie in [0, "
                     << indexRank - 1 << "] for indices " << indicesType;
    return failure();
  }
  int64_t k = indicesType.getShape().back();
  if (k < 1 || batchDims + k > dataType.getRank()) {
    node.emitError() << "indices.shape[-1] = " << k << " must be in [1, "
                     << "rank(data) - batch_dims = "
                     << dataType.getRank() - batchDims << "]";
    return failure();
  }
  if (batchDims == 0 && dataType.hasStaticShape() &&
      indicesType.hasStaticShape()) {
    if (std::optional<SmallVector<int64_t>> constant = node.getConstantInts(1))
      return convertConstantGatherND(node, *data, *constant);
  }
  return node.setResult(
      node.create<mllm::GatherNdOp>(*data, *indices, batchDims));
}

} // namespace

void mllmc::onnx_frontend::registerSelectionOps(OpRegistry &registry) {
  registry.add("CumProd", 26, convertCumulative<mllm::CumprodOp>,
               "axis a constant input (or --bind-input); exclusive, reverse");
  registry.add("CumSum", 11, convertCumulative<mllm::CumsumOp>,
               "axis a constant input (or --bind-input); exclusive, reverse");
  registry.add("GatherElements", 11, convertGatherElements,
               "run-time indices (negative too)");
  registry.add("GatherND", 11, convertGatherND,
               "run-time indices (negative too), batch_dims; constant "
               "indices are an mllm.gather on the flattened leading dims");
  registry.add("Scatter", 9, convertScatterElements,
               "deprecated name of ScatterElements");
  registry.add("ScatterElements", 11, convertScatterElements,
               "run-time indices (negative too); reduction none, add, mul, "
               "max, min");
  registry.add("ScatterND", 11, convertScatterND,
               "run-time indices (negative too); reduction none, add, mul, "
               "max, min");
  registry.add("TopK", 10, convertTopK,
               "K a constant input (or --bind-input); axis, largest, sorted; "
               "ties by lower index; O(k * n) per row");
}
