//===- MllmTensorOps.cpp - shape and data movement ops --------------------===//
//
// Type inference and verifiers of reshape, transpose, concat, slice,
// gather, gather_elements, scatter_elements and gather_nd.
//
//===----------------------------------------------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::mllm;

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getResult().getType());
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError("element types must be equal, got ")
           << inputType.getElementType() << " and "
           << resultType.getElementType();
  if (inputType.hasStaticShape() && resultType.hasStaticShape() &&
      inputType.getNumElements() != resultType.getNumElements())
    return emitOpError("cannot reshape ")
           << inputType.getNumElements() << " elements (" << inputType
           << ") into " << resultType.getNumElements() << " (" << resultType
           << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> permutation = adaptor.getPermutation();
  int64_t rank = inputType.getRank();
  if (static_cast<int64_t>(permutation.size()) != rank)
    return inferError<TransposeOp>(location, "permutation has ",
                                   permutation.size(),
                                   " entries but the input has rank ", rank);
  llvm::SmallBitVector seen(rank);
  SmallVector<int64_t> shape;
  for (int64_t dim : permutation) {
    if (dim < 0 || dim >= rank || seen.test(dim))
      return inferError<TransposeOp>(
          location, "permutation must be a permutation of [0, ", rank,
          "), got [", llvm::make_range(permutation.begin(), permutation.end()),
          "]");
    seen.set(dim);
    shape.push_back(inputType.getDimSize(dim));
  }
  inferred.push_back(inputType.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return inferError<ConcatOp>(location, "needs at least one input");
  auto firstType = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = firstType.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= rank)
    return inferError<ConcatOp>(location, "axis ", axis,
                                " is out of range [0, ", rank, ")");
  SmallVector<int64_t> shape(firstType.getShape());
  for (auto [index, input] : llvm::enumerate(inputs.drop_front())) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getElementType() != firstType.getElementType())
      return inferError<ConcatOp>(
          location, "inputs must have the same element type, got ",
          firstType.getElementType(), " and ", type.getElementType(),
          " (input #", index + 1, ")");
    if (type.getRank() != rank)
      return inferError<ConcatOp>(
          location, "inputs must have the same rank, got ", rank, " and ",
          type.getRank(), " (input #", index + 1, ")");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == axis) {
        shape[d] =
            ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(size)
                ? ShapedType::kDynamic
                : shape[d] + size;
        continue;
      }
      std::optional<int64_t> merged = mergeDims(shape[d], size);
      if (!merged)
        return inferError<ConcatOp>(
            location, "inputs differ in non-concatenated dimension ", d, ": ",
            shape[d], " and ", size, " (input #", index + 1, ")");
      shape[d] = *merged;
    }
  }
  inferred.push_back(RankedTensorType::get(shape, firstType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> starts = adaptor.getStarts();
  ArrayRef<int64_t> ends = adaptor.getEnds();
  ArrayRef<int64_t> steps = adaptor.getSteps();
  int64_t rank = inputType.getRank();
  if (static_cast<int64_t>(starts.size()) != rank ||
      static_cast<int64_t>(ends.size()) != rank ||
      static_cast<int64_t>(steps.size()) != rank)
    return inferError<SliceOp>(
        location, "starts, ends and steps need one entry per dimension (", rank,
        "), got ", starts.size(), ", ", ends.size(), " and ", steps.size());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = inputType.getDimSize(d);
    int64_t start = starts[d], end = ends[d], step = steps[d];
    if (step == 0)
      return inferError<SliceOp>(location, "step of dimension ", d,
                                 " must not be 0");
    // Bounds are normalized, except that for a dynamic dimension they cannot
    // be clamped yet: a positive step's end may exceed the run-time size.
    if (step > 0 && (start < 0 || end < 0))
      return inferError<SliceOp>(location, "dimension ", d, ": start ", start,
                                 " and end ", end,
                                 " must be non-negative for a positive step");
    if (step < 0 && (start < 0 || end < -1))
      return inferError<SliceOp>(location, "dimension ", d, ": start ", start,
                                 " must be non-negative and end ", end,
                                 " at least -1 for a negative step");
    if (ShapedType::isDynamic(dim)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (step > 0 && (start > dim || end > dim))
      return inferError<SliceOp>(location, "dimension ", d, ": start ", start,
                                 " and end ", end, " must lie in [0, ", dim,
                                 "] for a positive step");
    if (step < 0 && (start > dim - 1 || end > dim - 1))
      return inferError<SliceOp>(location, "dimension ", d, ": start ", start,
                                 " must lie in [0, ", dim - 1, "] and end ",
                                 end, " in [-1, ", dim - 1,
                                 "] for a negative step");
    int64_t distance = step > 0 ? end - start : start - end;
    int64_t stride = step > 0 ? step : -step;
    shape.push_back(distance <= 0 ? 0 : (distance + stride - 1) / stride);
  }
  inferred.push_back(inputType.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  int64_t rank = dataType.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= rank)
    return inferError<GatherOp>(location, "axis ", axis,
                                " is out of range [0, ", rank, ")");
  SmallVector<int64_t> shape(dataType.getShape().take_front(axis));
  llvm::append_range(shape, indicesType.getShape());
  llvm::append_range(shape, dataType.getShape().drop_front(axis + 1));
  inferred.push_back(dataType.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// GatherElementsOp and ScatterElementsOp
//===----------------------------------------------------------------------===//

/// The checks gather_elements and scatter_elements share: `axis` names a
/// dimension of `data`, `indices` has its rank and off the axis no static
/// dimension larger than the data's.
template <typename OpTy>
static LogicalResult
checkElementIndices(std::optional<Location> location, RankedTensorType dataType,
                    RankedTensorType indicesType, int64_t axis) {
  int64_t rank = dataType.getRank();
  if (rank == 0)
    return inferError<OpTy>(location, "data must have rank >= 1");
  if (axis < 0 || axis >= rank)
    return inferError<OpTy>(location, "axis ", axis, " is out of range [0, ",
                            rank, ")");
  if (indicesType.getRank() != rank)
    return inferError<OpTy>(location, "indices must have the rank of data (",
                            rank, "), got ", indicesType);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = indicesType.getDimSize(d);
    int64_t limit = dataType.getDimSize(d);
    if (d != axis && !ShapedType::isDynamic(size) &&
        !ShapedType::isDynamic(limit) && size > limit)
      return inferError<OpTy>(location, "dimension ", d, " of indices (", size,
                              ") exceeds the data's (", limit, ")");
  }
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (failed(checkElementIndices<GatherElementsOp>(
          location, dataType, indicesType, adaptor.getAxis())))
    return failure();
  inferred.push_back(dataType.clone(indicesType.getShape()));
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
  if (updatesType.getElementType() != dataType.getElementType())
    return inferError<ScatterElementsOp>(
        location, "updates element type ", updatesType.getElementType(),
        " differs from the data's ", dataType.getElementType());
  if (adaptor.getReduction() != ScatterReduction::none &&
      dataType.getElementType().isInteger(1))
    return inferError<ScatterElementsOp>(
        location, "reduction '",
        stringifyScatterReduction(adaptor.getReduction()),
        "' needs a numeric element type, got i1");
  if (failed(checkElementIndices<ScatterElementsOp>(
          location, dataType, indicesType, adaptor.getAxis())))
    return failure();
  bool matches = updatesType.getRank() == indicesType.getRank();
  for (int64_t d = 0; matches && d < updatesType.getRank(); ++d)
    matches = mergeDims(updatesType.getDimSize(d), indicesType.getDimSize(d))
                  .has_value();
  if (!matches)
    return inferError<ScatterElementsOp>(
        location, "updates must have the shape of indices (",
        formatShape(indicesType.getShape()), "), got ", updatesType);
  inferred.push_back(dataType);
  return success();
}

//===----------------------------------------------------------------------===//
// GatherNdOp
//===----------------------------------------------------------------------===//

LogicalResult GatherNdOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> location,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  int64_t rank = dataType.getRank(), indexRank = indicesType.getRank();
  int64_t batchDims = adaptor.getBatchDims();
  if (indexRank == 0)
    return inferError<GatherNdOp>(location, "indices must have rank >= 1");
  if (batchDims < 0 || batchDims >= indexRank)
    return inferError<GatherNdOp>(location, "batch_dims (", batchDims,
                                  ") must lie in [0, ", indexRank - 1,
                                  "], below the rank of indices");
  int64_t depth = indicesType.getDimSize(indexRank - 1);
  if (ShapedType::isDynamic(depth))
    return inferError<GatherNdOp>(
        location, "the last dimension of indices must be static, got ",
        indicesType);
  if (depth < 1 || batchDims + depth > rank)
    return inferError<GatherNdOp>(
        location, "the last dimension of indices (", depth,
        ") must lie in [1, ", rank - batchDims,
        "], the rank of data less batch_dims, got data ", dataType);
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < batchDims; ++d) {
    std::optional<int64_t> merged =
        mergeDims(dataType.getDimSize(d), indicesType.getDimSize(d));
    if (!merged)
      return inferError<GatherNdOp>(location, "batch dimension ", d,
                                    " differs between data (", dataType,
                                    ") and indices (", indicesType, ")");
    shape.push_back(*merged);
  }
  llvm::append_range(shape,
                     indicesType.getShape().drop_back().drop_front(batchDims));
  llvm::append_range(shape, dataType.getShape().drop_front(batchDims + depth));
  inferred.push_back(dataType.clone(shape));
  return success();
}
