//===- MllmConvOps.cpp - conv, conv_transpose, pool -----------------------===//
//
// Shape inference of the sliding-window ops. They share the spatial
// attribute checks (one entry per spatial dimension, pads twice).
//
//===----------------------------------------------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::mllm;

/// Checks that `values` has `count` entries, each at least `min`.
template <typename OpTy>
static LogicalResult checkSpatialAttr(std::optional<Location> location,
                                      StringRef name, ArrayRef<int64_t> values,
                                      size_t count, int64_t min) {
  if (values.size() != count)
    return inferError<OpTy>(location, name, " must have ", count,
                            " values for ",
                            name == "pads" ? "the begin and end of " : "",
                            "each spatial dimension, got ", values.size());
  for (int64_t value : values)
    if (value < min)
      return inferError<OpTy>(location, name, " must be ",
                              min == 0 ? "non-negative" : "positive", ", got [",
                              values, "]");
  return success();
}

/// Checks strides and dilations (positive) and pads (non-negative) of an op
/// with `spatial` spatial dimensions.
template <typename OpTy>
static LogicalResult checkWindowAttrs(std::optional<Location> location,
                                      ArrayRef<int64_t> strides,
                                      ArrayRef<int64_t> dilations,
                                      ArrayRef<int64_t> pads, size_t spatial) {
  return success(succeeded(checkSpatialAttr<OpTy>(location, "strides", strides,
                                                  spatial, 1)) &&
                 succeeded(checkSpatialAttr<OpTy>(location, "dilations",
                                                  dilations, spatial, 1)) &&
                 succeeded(checkSpatialAttr<OpTy>(location, "pads", pads,
                                                  2 * spatial, 0)));
}

/// Checks the channel counts of a grouped (transposed) convolution:
/// `channels` and `filters` are multiples of `group`, and the weight's
/// `groupChannels` (input channels per group) matches.
template <typename OpTy>
static LogicalResult checkGroups(std::optional<Location> location,
                                 int64_t group, int64_t channels,
                                 int64_t filters, int64_t groupChannels) {
  if (group < 1)
    return inferError<OpTy>(location, "group must be positive, got ", group);
  if (!ShapedType::isDynamic(channels) && channels % group != 0)
    return inferError<OpTy>(location, "input channels (", channels,
                            ") must be a multiple of group (", group, ")");
  if (!ShapedType::isDynamic(filters) && filters % group != 0)
    return inferError<OpTy>(location, "weight filters (", filters,
                            ") must be a multiple of group (", group, ")");
  if (!ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(groupChannels) &&
      channels != groupChannels * group)
    return inferError<OpTy>(location, "weight has ", groupChannels,
                            " channels per group but the input has ", channels,
                            " channels in ", group, " group(s)");
  return success();
}

/// Checks the optional bias [F] against the element type and the filter
/// count, which it refines when dynamic.
template <typename OpTy>
static LogicalResult checkBias(std::optional<Location> location, Value bias,
                               Type elementType, int64_t &filters) {
  if (!bias)
    return success();
  auto biasType = cast<RankedTensorType>(bias.getType());
  if (biasType.getElementType() != elementType)
    return inferError<OpTy>(location, "bias element type ",
                            biasType.getElementType(),
                            " differs from the input's ", elementType);
  if (biasType.getRank() != 1 || !mergeDims(biasType.getDimSize(0), filters))
    return inferError<OpTy>(location, "bias must have shape [",
                            formatDim(filters),
                            "] (one value per filter), got ", biasType);
  filters = *mergeDims(biasType.getDimSize(0), filters);
  return success();
}

/// Checks that `input` and `weight` have the rank >= 3 layouts of a
/// (transposed) convolution, and the same element type.
template <typename OpTy>
static LogicalResult
checkConvOperands(std::optional<Location> location, RankedTensorType inputType,
                  RankedTensorType weightType, StringRef weightLayout) {
  if (inputType.getRank() < 3)
    return inferError<OpTy>(
        location, "input must have rank >= 3 [N, C, spatial...], got ",
        inputType);
  if (weightType.getRank() != inputType.getRank())
    return inferError<OpTy>(location, "weight must have rank ",
                            inputType.getRank(), " ", weightLayout,
                            " like the input, got ", weightType);
  if (weightType.getElementType() != inputType.getElementType())
    return inferError<OpTy>(
        location, "weight element type ", weightType.getElementType(),
        " differs from the input's ", inputType.getElementType());
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
  Type elementType = inputType.getElementType();
  if (failed(checkConvOperands<ConvOp>(location, inputType, weightType,
                                       "[F, C / group, kernel...]")))
    return failure();
  size_t spatial = inputType.getRank() - 2;
  if (failed(checkWindowAttrs<ConvOp>(location, adaptor.getStrides(),
                                      adaptor.getDilations(), adaptor.getPads(),
                                      spatial)))
    return failure();
  int64_t filters = weightType.getDimSize(0);
  if (failed(checkGroups<ConvOp>(location, adaptor.getGroup(),
                                 inputType.getDimSize(1), filters,
                                 weightType.getDimSize(1))) ||
      failed(
          checkBias<ConvOp>(location, adaptor.getBias(), elementType, filters)))
    return failure();

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

LogicalResult ConvTransposeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
  Type elementType = inputType.getElementType();
  if (failed(checkConvOperands<ConvTransposeOp>(location, inputType, weightType,
                                                "[C, F / group, kernel...]")))
    return failure();
  size_t spatial = inputType.getRank() - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    pads = adaptor.getPads(),
                    outputPadding = adaptor.getOutputPadding();
  if (failed(checkWindowAttrs<ConvTransposeOp>(location, strides, dilations,
                                               pads, spatial)) ||
      failed(checkSpatialAttr<ConvTransposeOp>(location, "output_padding",
                                               outputPadding, spatial, 0)))
    return failure();
  int64_t group = adaptor.getGroup();
  int64_t groupFilters = weightType.getDimSize(1);
  int64_t filters = ShapedType::isDynamic(groupFilters) || group < 1
                        ? ShapedType::kDynamic
                        : groupFilters * group;
  int64_t channels = inputType.getDimSize(1);
  int64_t weightChannels = weightType.getDimSize(0);
  if (!mergeDims(channels, weightChannels))
    return inferError<ConvTransposeOp>(location, "weight has ", weightChannels,
                                       " input channels but the input has ",
                                       channels);
  if (failed(checkGroups<ConvTransposeOp>(location, group, channels, filters,
                                          ShapedType::kDynamic)) ||
      failed(checkBias<ConvTransposeOp>(location, adaptor.getBias(),
                                        elementType, filters)))
    return failure();

  SmallVector<int64_t> shape = {inputType.getDimSize(0), filters};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t kernel = weightType.getDimSize(2 + i);
    int64_t out = getConvTransposeOutputSize(
        inputType.getDimSize(2 + i), kernel, strides[i], dilations[i], pads[i],
        pads[spatial + i], outputPadding[i]);
    if (!ShapedType::isDynamic(out) && out < 1)
      return inferError<ConvTransposeOp>(
          location, "pads ", pads[i], " and ", pads[spatial + i],
          " leave no result element in spatial dimension ", i);
    shape.push_back(out);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult PoolOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  if (inputType.getRank() < 3)
    return inferError<PoolOp>(
        location, "input must have rank >= 3 [N, C, spatial...], got ",
        inputType);
  size_t spatial = inputType.getRank() - 2;
  ArrayRef<int64_t> kernel = adaptor.getKernelShape(),
                    strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    pads = adaptor.getPads();
  if (failed(checkSpatialAttr<PoolOp>(location, "kernel_shape", kernel, spatial,
                                      1)) ||
      failed(checkWindowAttrs<PoolOp>(location, strides, dilations, pads,
                                      spatial)))
    return failure();
  PoolKind kind = adaptor.getKind();
  if (kind != PoolKind::max && !isa<FloatType>(inputType.getElementType()))
    return inferError<PoolOp>(location, stringifyPoolKind(kind),
                              " pooling needs a float input, got ", inputType);
  if (kind == PoolKind::lp && adaptor.getP() < 1)
    return inferError<PoolOp>(location, "p must be at least 1, got ",
                              adaptor.getP());
  std::optional<int64_t> storageOrder = adaptor.getStorageOrder();
  if (storageOrder && kind != PoolKind::max)
    return inferError<PoolOp>(location,
                              "storage_order (the indices result) needs max "
                              "pooling, got ",
                              stringifyPoolKind(kind));
  if (storageOrder && *storageOrder != 0 && *storageOrder != 1)
    return inferError<PoolOp>(
        location,
        "storage_order must be 0 (row-major) or 1 (column-major), "
        "got ",
        *storageOrder);

  SmallVector<int64_t> shape(inputType.getShape().take_front(2));
  for (size_t i = 0; i < spatial; ++i) {
    int64_t size = inputType.getDimSize(2 + i);
    // A pad as wide as the window would make a window of padding only.
    int64_t reach = dilations[i] * (kernel[i] - 1) + 1;
    if (pads[i] >= reach || pads[spatial + i] >= reach)
      return inferError<PoolOp>(location, "pads [", pads,
                                "] must be smaller than the window (", reach,
                                ") in spatial dimension ", i);
    int64_t out =
        getPoolOutputSize(size, kernel[i], strides[i], dilations[i], pads[i],
                          pads[spatial + i], adaptor.getCeilMode());
    if (!ShapedType::isDynamic(out) && out < 1)
      return inferError<PoolOp>(
          location, "window of size ", kernel[i], " (dilation ", dilations[i],
          ") does not fit spatial dimension ", i, " of size ", size,
          " padded by ", pads[i], " and ", pads[spatial + i]);
    shape.push_back(out);
  }
  inferred.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  if (storageOrder)
    inferred.push_back(
        RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}
