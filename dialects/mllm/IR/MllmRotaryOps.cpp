//===- MllmRotaryOps.cpp - rotary_embedding -------------------------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmInferError.h"
#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::mllm;

/// The head size of `inputType` split into `numHeads` heads (4-D: the last
/// dimension; 3-D: hidden / numHeads, dynamic when hidden is).
static int64_t getHeadDimOf(RankedTensorType inputType, int64_t numHeads) {
  if (inputType.getRank() == 4)
    return inputType.getDimSize(3);
  int64_t hidden = inputType.getDimSize(2);
  if (ShapedType::isDynamic(hidden) || numHeads <= 0)
    return ShapedType::kDynamic;
  return hidden / numHeads;
}

static int64_t getRotaryDimOf(int64_t rotaryEmbeddingDim, int64_t headDim) {
  return rotaryEmbeddingDim > 0 ? rotaryEmbeddingDim : headDim;
}

int64_t RotaryEmbeddingOp::getHeadDim() {
  return getHeadDimOf(getInput().getType(), getNumHeads());
}

int64_t RotaryEmbeddingOp::getRotaryDim() {
  return getRotaryDimOf(getRotaryEmbeddingDim(), getHeadDim());
}

/// Checks the input's rank and num_heads against it.
static LogicalResult checkInput(std::optional<Location> location,
                                RankedTensorType inputType, int64_t numHeads) {
  int64_t rank = inputType.getRank();
  if (rank != 3 && rank != 4)
    return inferError<RotaryEmbeddingOp>(
        location,
        "input must have rank 4 [B, H, S, D] or 3 [B, S, H * D], "
        "got ",
        inputType);
  if (numHeads < 0)
    return inferError<RotaryEmbeddingOp>(
        location, "num_heads must be non-negative, got ", numHeads);
  if (rank == 4) {
    if (numHeads != 0 && !mergeDims(inputType.getDimSize(1), numHeads))
      return inferError<RotaryEmbeddingOp>(
          location, "num_heads (", numHeads,
          ") differs from the input's head dimension ",
          inputType.getDimSize(1));
    return success();
  }
  if (numHeads == 0)
    return inferError<RotaryEmbeddingOp>(
        location, "a 3-D input [B, S, H * D] needs num_heads > 0");
  int64_t hidden = inputType.getDimSize(2);
  if (!ShapedType::isDynamic(hidden) && hidden % numHeads != 0)
    return inferError<RotaryEmbeddingOp>(
        location, "the input's hidden size ", hidden,
        " is not a multiple of num_heads (", numHeads, ")");
  return success();
}

/// Checks position_ids ([B or 1, S], or [1]) and the rank of the caches it
/// implies.
static LogicalResult checkPositions(std::optional<Location> location,
                                    RankedTensorType inputType,
                                    RankedTensorType cacheType,
                                    Value positionIds) {
  int64_t batch = inputType.getDimSize(0);
  int64_t seq = inputType.getDimSize(inputType.getRank() == 4 ? 2 : 1);
  if (!positionIds) {
    ArrayRef<int64_t> shape = cacheType.getShape();
    bool ok = false;
    if (shape.size() == 3)
      ok = mergeDims(shape[0], batch) && mergeDims(shape[1], seq);
    else if (shape.size() == 2)
      ok = mergeDims(shape[0], seq).has_value();
    if (!ok)
      return inferError<RotaryEmbeddingOp>(
          location, "without position_ids the caches must have shape [",
          formatDim(batch), ", ", formatDim(seq), ", R / 2] or [",
          formatDim(seq), ", R / 2], got ", cacheType);
    return success();
  }
  auto positionType = cast<RankedTensorType>(positionIds.getType());
  ArrayRef<int64_t> positions = positionType.getShape();
  bool offset = positions.size() == 1 && mergeDims(positions[0], 1);
  bool perToken = positions.size() == 2 &&
                  (mergeDims(positions[0], batch) || positions[0] == 1) &&
                  mergeDims(positions[1], seq);
  if (!offset && !perToken)
    return inferError<RotaryEmbeddingOp>(
        location, "position_ids must have shape [", formatDim(batch), ", ",
        formatDim(seq), "], [1, ", formatDim(seq), "] or [1] (an offset), got ",
        positionType);
  if (cacheType.getRank() != 2)
    return inferError<RotaryEmbeddingOp>(
        location,
        "with position_ids the caches must have rank 2 "
        "[max_position, R / 2], got ",
        cacheType);
  return success();
}

LogicalResult RotaryEmbeddingOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  auto cosType = cast<RankedTensorType>(adaptor.getCosCache().getType());
  auto sinType = cast<RankedTensorType>(adaptor.getSinCache().getType());
  int64_t numHeads = adaptor.getNumHeads();
  if (failed(checkInput(location, inputType, numHeads)))
    return failure();

  Type elementType = inputType.getElementType();
  for (auto [type, name] :
       {std::pair{cosType, "cos_cache"}, std::pair{sinType, "sin_cache"}})
    if (type.getElementType() != elementType)
      return inferError<RotaryEmbeddingOp>(
          location, name, " element type ", type.getElementType(),
          " differs from the input's ", elementType);
  bool sameShape = cosType.getRank() == sinType.getRank();
  for (int64_t d = 0; sameShape && d < cosType.getRank(); ++d)
    sameShape =
        mergeDims(cosType.getDimSize(d), sinType.getDimSize(d)).has_value();
  if (!sameShape)
    return inferError<RotaryEmbeddingOp>(location, "cos_cache ", cosType,
                                         " and sin_cache ", sinType,
                                         " differ in shape");
  if (failed(checkPositions(location, inputType, cosType,
                            adaptor.getPositionIds())))
    return failure();

  int64_t rotaryEmbeddingDim = adaptor.getRotaryEmbeddingDim();
  if (rotaryEmbeddingDim < 0)
    return inferError<RotaryEmbeddingOp>(
        location, "rotary_embedding_dim must be non-negative, got ",
        rotaryEmbeddingDim);
  int64_t headDim = getHeadDimOf(inputType, numHeads);
  int64_t rotaryDim = getRotaryDimOf(rotaryEmbeddingDim, headDim);
  if (!ShapedType::isDynamic(rotaryDim) && rotaryDim % 2 != 0)
    return inferError<RotaryEmbeddingOp>(
        location, "the rotated size R must be even, got ", rotaryDim,
        rotaryEmbeddingDim ? " (rotary_embedding_dim)" : " (the head size)");
  if (!ShapedType::isDynamic(headDim) && !ShapedType::isDynamic(rotaryDim) &&
      rotaryDim > headDim)
    return inferError<RotaryEmbeddingOp>(location, "rotary_embedding_dim (",
                                         rotaryDim, ") exceeds the head size ",
                                         headDim);
  int64_t half = cosType.getShape().back();
  if (!ShapedType::isDynamic(rotaryDim) && !ShapedType::isDynamic(half) &&
      half * 2 != rotaryDim)
    return inferError<RotaryEmbeddingOp>(
        location, "the caches' last dimension (", half,
        ") must be half the rotated size R = ", rotaryDim);
  inferred.push_back(inputType);
  return success();
}
