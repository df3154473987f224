//===- MllmConvOps.cpp - conv ---------------------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::mllm;

/// Checks that `values` has `count` entries, each at least `min`.
static LogicalResult checkSpatialAttr(std::optional<Location> location,
                                      StringRef name, ArrayRef<int64_t> values,
                                      size_t count, int64_t min) {
  if (values.size() != count)
    return inferError<ConvOp>(location, name, " must have ", count,
                              " values for ",
                              name == "pads" ? "the begin and end of " : "",
                              "each spatial dimension, got ", values.size());
  for (int64_t value : values)
    if (value < min)
      return inferError<ConvOp>(location, name, " must be ",
                                min == 0 ? "non-negative" : "positive",
                                ", got [", values, "]");
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
  Type elementType = inputType.getElementType();
  if (inputType.getRank() < 3)
    return inferError<ConvOp>(
        location, "input must have rank >= 3 [N, C, spatial...], got ",
        inputType);
  if (weightType.getRank() != inputType.getRank())
    return inferError<ConvOp>(
        location, "weight must have rank ", inputType.getRank(),
        " [F, C / group, kernel...] like the input, got ", weightType);
  if (weightType.getElementType() != elementType)
    return inferError<ConvOp>(location, "weight element type ",
                              weightType.getElementType(),
                              " differs from the input's ", elementType);
  size_t spatial = inputType.getRank() - 2;
  if (failed(checkSpatialAttr(location, "strides", adaptor.getStrides(),
                              spatial, 1)) ||
      failed(checkSpatialAttr(location, "dilations", adaptor.getDilations(),
                              spatial, 1)) ||
      failed(checkSpatialAttr(location, "pads", adaptor.getPads(), 2 * spatial,
                              0)))
    return failure();

  int64_t group = adaptor.getGroup();
  if (group < 1)
    return inferError<ConvOp>(location, "group must be positive, got ", group);
  int64_t channels = inputType.getDimSize(1);
  int64_t filters = weightType.getDimSize(0);
  int64_t groupChannels = weightType.getDimSize(1);
  if (!ShapedType::isDynamic(channels) && channels % group != 0)
    return inferError<ConvOp>(location, "input channels (", channels,
                              ") must be a multiple of group (", group, ")");
  if (!ShapedType::isDynamic(filters) && filters % group != 0)
    return inferError<ConvOp>(location, "weight filters (", filters,
                              ") must be a multiple of group (", group, ")");
  if (!ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(groupChannels) &&
      channels != groupChannels * group)
    return inferError<ConvOp>(location, "weight has ", groupChannels,
                              " channels per group but the input has ",
                              channels, " channels in ", group, " group(s)");

  if (Value bias = adaptor.getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getElementType() != elementType)
      return inferError<ConvOp>(location, "bias element type ",
                                biasType.getElementType(),
                                " differs from the input's ", elementType);
    if (biasType.getRank() != 1 || !mergeDims(biasType.getDimSize(0), filters))
      return inferError<ConvOp>(location, "bias must have shape [",
                                formatDim(filters),
                                "] (one value per filter), got ", biasType);
    filters = *mergeDims(biasType.getDimSize(0), filters);
  }

  SmallVector<int64_t> shape = {inputType.getDimSize(0), filters};
  ArrayRef<int64_t> pads = adaptor.getPads();
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = inputType.getDimSize(2 + i);
    int64_t kernel = weightType.getDimSize(2 + i);
    int64_t out = getConvOutputSize(size, kernel, adaptor.getStrides()[i],
                                    adaptor.getDilations()[i], pads[i],
                                    pads[spatial + i]);
    if (!ShapedType::isDynamic(out) && out < 1)
      return inferError<ConvOp>(location, "kernel of size ", kernel,
                                " (dilation ", adaptor.getDilations()[i],
                                ") does not fit spatial dimension ", i,
                                " of size ", size, " padded by ", pads[i],
                                " and ", pads[spatial + i]);
    shape.push_back(out);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
