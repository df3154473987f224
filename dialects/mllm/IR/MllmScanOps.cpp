//===- MllmScanOps.cpp - top_k, cumsum, cumprod, scatter_nd ---------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::mllm;

/// Checks that `axis` names a dimension of `type`.
template <typename OpTy>
static LogicalResult checkAxis(std::optional<Location> location,
                               RankedTensorType type, int64_t axis) {
  if (type.getRank() == 0)
    return inferError<OpTy>(location, "input must have rank >= 1");
  if (axis < 0 || axis >= type.getRank())
    return inferError<OpTy>(location, "axis ", axis, " is out of range [0, ",
                            type.getRank(), ")");
  return success();
}

//===----------------------------------------------------------------------===//
// TopKOp
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> location,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis();
  int64_t k = adaptor.getK();
  if (failed(checkAxis<TopKOp>(location, type, axis)))
    return failure();
  if (k < 0)
    return inferError<TopKOp>(location, "k must be non-negative, got ", k);
  int64_t size = type.getDimSize(axis);
  if (!ShapedType::isDynamic(size) && k > size)
    return inferError<TopKOp>(location, "k = ", k, " exceeds the size of axis ",
                              axis, " (", size, ")");
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = k;
  inferred.push_back(type.clone(shape));
  inferred.push_back(type.clone(shape, IntegerType::get(context, 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// CumsumOp, CumprodOp
//===----------------------------------------------------------------------===//

/// A running sum or product has its input's type.
template <typename OpTy>
static LogicalResult inferCumulativeType(std::optional<Location> location,
                                         typename OpTy::Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(checkAxis<OpTy>(location, type, adaptor.getAxis())))
    return failure();
  inferred.push_back(type);
  return success();
}

LogicalResult CumsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferCumulativeType<CumsumOp>(location, adaptor, inferred);
}

LogicalResult CumprodOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferCumulativeType<CumprodOp>(location, adaptor, inferred);
}

//===----------------------------------------------------------------------===//
// ScatterNdOp
//===----------------------------------------------------------------------===//

LogicalResult ScatterNdOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
  auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
  if (updatesType.getElementType() != dataType.getElementType())
    return inferError<ScatterNdOp>(
        location, "updates element type ", updatesType.getElementType(),
        " differs from the data's ", dataType.getElementType());
  if (adaptor.getReduction() != ScatterReduction::none &&
      dataType.getElementType().isInteger(1))
    return inferError<ScatterNdOp>(
        location, "reduction '",
        stringifyScatterReduction(adaptor.getReduction()),
        "' needs a numeric element type, got i1");
  int64_t rank = dataType.getRank();
  int64_t indexRank = indicesType.getRank();
  if (indexRank == 0)
    return inferError<ScatterNdOp>(location, "indices must have rank >= 1");
  int64_t depth = indicesType.getDimSize(indexRank - 1);
  if (ShapedType::isDynamic(depth))
    return inferError<ScatterNdOp>(
        location, "the last dimension of indices must be static, got ",
        indicesType);
  if (depth < 1 || depth > rank)
    return inferError<ScatterNdOp>(location, "the last dimension of indices (",
                                   depth, ") must lie in [1, ", rank,
                                   "], the rank of data");

  // updates.shape = indices.shape[:-1] + data.shape[depth:]
  SmallVector<int64_t> expected(indicesType.getShape().drop_back());
  llvm::append_range(expected, dataType.getShape().drop_front(depth));
  bool matches = updatesType.getRank() == static_cast<int64_t>(expected.size());
  for (int64_t i = 0; matches && i < updatesType.getRank(); ++i)
    matches = mergeDims(updatesType.getDimSize(i), expected[i]).has_value();
  if (!matches) {
    std::string shape;
    for (auto [i, dim] : llvm::enumerate(expected))
      shape += (i ? ", " : "") + formatDim(dim);
    return inferError<ScatterNdOp>(location, "updates must have shape [", shape,
                                   "] (indices.shape[:-1] + data.shape[", depth,
                                   ":]), got ", updatesType);
  }
  inferred.push_back(dataType);
  return success();
}
