//===- Pool.cpp - MaxPool, AveragePool, LpPool, global pools --------------===//
//
// ONNX MaxPool, AveragePool and LpPool into mllm.pool: the window attributes
// read as Conv reads them (auto_pad resolved into explicit pads), MaxPool's
// optional Indices output as the op's indices result. GlobalAveragePool and
// GlobalMaxPool are reductions over the spatial dimensions; MaxUnpool
// scatters into zeros.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeContext.h"
#include "frontends/onnx/OpRegistry.h"
#include "frontends/onnx/ops/WindowAttrs.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "llvm/ADT/Sequence.h"

using namespace mllmc::onnx_frontend;
using namespace mlir;

namespace {

/// An attribute that must be 0 or 1.
FailureOr<bool> getFlagAttr(NodeContext &node, StringRef name) {
  int64_t value = node.getIntAttr(name, 0);
  if (value == 0 || value == 1)
    return value == 1;
  node.emitError() << "'" << name << "' must be 0 or 1, got " << value;
  return failure();
}

template <mllm::PoolKind kind> LogicalResult convertPool(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*input);
  if (failed(checkSpatialInput(node, inputType)))
    return failure();
  size_t spatial = inputType.getRank() - 2;
  FailureOr<SmallVector<int64_t>> kernel =
      getRequiredKernelShape(node, spatial);
  if (failed(kernel))
    return failure();
  FailureOr<StridesAndDilations> window = getStridesAndDilations(node, spatial);
  if (failed(window))
    return failure();
  FailureOr<SmallVector<int64_t>> pads = getWindowPads(
      node, inputType, *kernel, window->strides, window->dilations);
  FailureOr<bool> ceilMode = getFlagAttr(node, "ceil_mode");
  FailureOr<bool> countIncludePad = kind == mllm::PoolKind::avg
                                        ? getFlagAttr(node, "count_include_pad")
                                        : FailureOr<bool>(false);
  if (failed(pads) || failed(ceilMode) || failed(countIncludePad))
    return failure();
  int64_t p = kind == mllm::PoolKind::lp ? node.getIntAttr("p", 2) : 2;

  // MaxPool's second output, when the model uses it: the flattened index of
  // every maximum.
  IntegerAttr storageOrder;
  if (kind == mllm::PoolKind::max && node.hasOutput(1)) {
    int64_t order = node.getIntAttr("storage_order", 0);
    if (order != 0 && order != 1) {
      node.emitError() << "'storage_order' must be 0 (row-major) or 1 "
                          "(column-major), got "
                       << order;
      return failure();
    }
    storageOrder = node.getBuilder().getI64IntegerAttr(order);
  }

  FailureOr<Value> result = node.create<mllm::PoolOp>(
      Type(), *input, kind, *kernel, window->strides, window->dilations, *pads,
      *ceilMode, *countIncludePad, p, storageOrder);
  if (failed(result))
    return failure();
  if (storageOrder)
    node.setOutput(1, result->getDefiningOp()->getResult(1));
  return node.setResult(result);
}

/// GlobalAveragePool and GlobalMaxPool: the mean or maximum over every
/// spatial dimension, kept as size 1.
template <typename ReduceOp>
LogicalResult convertGlobalPool(NodeContext &node) {
  if (failed(node.checkNumInputs(1, 1)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  if (failed(input))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*input);
  if (failed(checkSpatialInput(node, inputType)))
    return failure();
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(2, inputType.getRank()));
  return node.setResult(node.create<ReduceOp>(*input, axes, /*keepdims=*/true));
}

/// MaxUnpool: the values of X written into zeros at the flattened positions
/// I (MaxPool's Indices), as a scatter_elements over the flattened result.
/// The result shape is the output_shape input (a constant) or the inverse of
/// MaxPool's: (D - 1) * stride + kernel - pads.
LogicalResult convertMaxUnpool(NodeContext &node) {
  if (failed(node.checkNumInputs(2, 3)))
    return failure();
  FailureOr<Value> input = node.getRequiredInput(0);
  FailureOr<Value> indices = node.getRequiredInput(1);
  if (failed(input) || failed(indices))
    return failure();
  RankedTensorType inputType = NodeContext::getType(*input);
  if (failed(checkSpatialInput(node, inputType)))
    return failure();
  if (!inputType.hasStaticShape()) {
    node.emitError() << "MaxUnpool needs a static input shape, got "
                     << inputType;
    return failure();
  }
  size_t spatial = inputType.getRank() - 2;
  FailureOr<SmallVector<int64_t>> kernel =
      getRequiredKernelShape(node, spatial);
  if (failed(kernel))
    return failure();
  FailureOr<SmallVector<int64_t>> strides =
      getSpatialAttr(node, "strides", spatial, 1, 1);
  if (failed(strides))
    return failure();
  FailureOr<SmallVector<int64_t>> pads =
      getSpatialAttr(node, "pads", 2 * spatial, 0, 0);
  if (failed(pads))
    return failure();

  SmallVector<int64_t> shape(inputType.getShape().take_front(2));
  if (node.getInput(2)) {
    FailureOr<SmallVector<int64_t>> given =
        node.getRequiredConstantInts(2, "output_shape");
    if (failed(given))
      return failure();
    if (given->size() != inputType.getRank() ||
        llvm::any_of(*given, [](int64_t size) { return size < 1; })) {
      node.emitError() << "'output_shape' must have " << inputType.getRank()
                       << " positive sizes, got [" << *given << "]";
      return failure();
    }
    shape = *given;
  } else {
    for (size_t i = 0; i < spatial; ++i)
      shape.push_back((inputType.getDimSize(2 + i) - 1) * (*strides)[i] +
                      (*kernel)[i] - (*pads)[i] - (*pads)[spatial + i]);
  }

  Type elementType = inputType.getElementType();
  int64_t total = 1;
  for (int64_t size : shape)
    total *= size;
  auto flatType = RankedTensorType::get({total}, elementType);
  Value zeros = node.createConstant(DenseElementsAttr::get(
      flatType, node.getBuilder().getZeroAttr(elementType)));
  int64_t count = inputType.getNumElements();
  FailureOr<Value> values = node.createWithType<mllm::ReshapeOp>(
      RankedTensorType::get({count}, elementType), *input);
  FailureOr<Value> positions = node.createWithType<mllm::ReshapeOp>(
      NodeContext::getType(*indices).clone(ArrayRef<int64_t>{count}), *indices);
  if (failed(values) || failed(positions))
    return failure();
  FailureOr<Value> scattered = node.create<mllm::ScatterElementsOp>(
      zeros, *positions, *values, /*axis=*/0, mllm::ScatterReduction::none);
  if (failed(scattered))
    return failure();
  return node.setResult(node.createWithType<mllm::ReshapeOp>(
      RankedTensorType::get(shape, elementType), *scattered));
}

} // namespace

void mllmc::onnx_frontend::registerPoolOps(OpRegistry &registry) {
  static constexpr const char *kWindow =
      "1-D, 2-D and N-D; strides, dilations, pads, auto_pad (SAME needs "
      "static spatial sizes), ceil_mode";
  registry.add("MaxPool", 8, convertPool<mllm::PoolKind::max>,
               std::string(kWindow) +
                   "; float and integer inputs; the Indices output with "
                   "storage_order 0 or 1");
  registry.add("AveragePool", 7, convertPool<mllm::PoolKind::avg>,
               std::string(kWindow) + "; count_include_pad");
  registry.add("LpPool", 2, convertPool<mllm::PoolKind::lp>,
               std::string(kWindow) + "; integer p >= 1");
  registry.add("GlobalAveragePool", 1, convertGlobalPool<mllm::ReduceMeanOp>,
               "a mean over the spatial dimensions");
  registry.add("GlobalMaxPool", 1, convertGlobalPool<mllm::ReduceMaxOp>,
               "a maximum over the spatial dimensions");
  registry.add("MaxUnpool", 11, convertMaxUnpool,
               "static input shapes; output_shape must be a constant");
}
