//===- MllmResizeOp.cpp - mllm.resize inference and verifier --------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::mllm;

/// The result is the input's type with each axis in `axes` resized to the
/// matching entry of `sizes`.
LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> axes = adaptor.getAxes(), sizes = adaptor.getSizes();
  if (sizes.size() != axes.size())
    return inferError<ResizeOp>(location, "expected one size per axis, got ",
                                sizes.size(), " sizes for ", axes.size(),
                                " axes");
  int64_t rank = inputType.getRank();
  llvm::SmallBitVector seen(rank);
  SmallVector<int64_t> shape(inputType.getShape());
  for (auto [axis, size] : llvm::zip_equal(axes, sizes)) {
    if (axis < 0 || axis >= rank)
      return inferError<ResizeOp>(location, "axis ", axis,
                                  " is out of range [0, ", rank, ")");
    if (seen.test(axis))
      return inferError<ResizeOp>(location, "axis ", axis, " appears twice");
    seen.set(axis);
    if (size < 1)
      return inferError<ResizeOp>(location, "size ", size, " of axis ", axis,
                                  " must be positive");
    shape[axis] = size;
  }
  inferred.push_back(inputType.clone(shape));
  return success();
}

static SmallVector<double> getDoubles(ArrayAttr array) {
  SmallVector<double> values;
  if (array)
    for (Attribute value : array)
      values.push_back(cast<FloatAttr>(value).getValueAsDouble());
  return values;
}

SmallVector<double> ResizeOp::getScaleValues() {
  return getDoubles(getScales());
}

SmallVector<double> ResizeOp::getRoiValues() {
  return getDoubles(getRoiAttr());
}

LogicalResult ResizeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  ArrayRef<int64_t> axes = getAxes();
  SmallVector<double> scales = getScaleValues();
  if (scales.size() != axes.size())
    return emitOpError("expected one scale per axis, got ")
           << scales.size() << " scales for " << axes.size() << " axes";
  for (auto [axis, scale] : llvm::zip_equal(axes, scales)) {
    if (!(scale > 0.0))
      return emitOpError("scale ")
             << scale << " of axis " << axis << " must be positive";
    if (inputType.isDynamicDim(axis))
      return emitOpError("resized axis ") << axis << " must be static";
  }
  bool crop = getCoordinateMode() == ResizeCoordinateMode::tf_crop_and_resize;
  size_t roiSize = crop ? 2 * axes.size() : 0;
  size_t roiCount = getRoiValues().size();
  if (roiCount != roiSize)
    return emitOpError("expected ")
           << roiSize << " roi values (starts then ends, one per axis) with "
           << stringifyResizeCoordinateMode(getCoordinateMode()) << ", got "
           << roiCount;
  if (getMode() != ResizeMode::nearest &&
      !isa<FloatType>(inputType.getElementType()))
    return emitOpError(stringifyResizeMode(getMode()))
           << " interpolation needs a float element type, got "
           << inputType.getElementType();
  if (getAntialias() && getMode() == ResizeMode::nearest)
    return emitOpError("antialias needs linear or cubic interpolation");
  return success();
}
