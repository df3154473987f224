//===- Normalization.cpp - softmax, layer_norm, rms_norm ------------------===//
//
// Norms reduce over the trailing dims [axis, rank) with linalg.generic
// reductions that accumulate in f32 for f16/bf16. layer_norm computes the
// variance in a second pass over (x - mean)^2, which stays accurate when the
// mean is large.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// The dims [axis, rank).
SmallVector<int64_t> getTrailingDims(int64_t axis, int64_t rank) {
  SmallVector<int64_t> dims;
  for (int64_t dim = axis; dim < rank; ++dim)
    dims.push_back(dim);
  return dims;
}

/// Checks that `axis` is in range and that `params` (scale, bias) broadcast
/// to the normalized shape.
LogicalResult verifyNormOperands(Operation *op, RankedTensorType inputType,
                                 int64_t axis, ValueRange params) {
  if (axis < 0 || axis >= inputType.getRank())
    return emitLoweringError(op, "axis " + Twine(axis) + " out of range");
  for (Value param : params) {
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getRank() > inputType.getRank() - axis)
      return emitLoweringError(
          op, "scale/bias has a higher rank than the normalized dims");
  }
  return success();
}

struct SoftmaxOpLowering : OpConversionPattern<mllm::SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    if (axis < 0 || axis >= type.getRank())
      return emitLoweringError(op, "axis " + Twine(axis) + " out of range");
    rewriter.replaceOp(
        op, buildSoftmax(rewriter, op.getLoc(), adaptor.getInput(), axis,
                         type.getElementType(), op.getZeroMaskedRows()));
    return success();
  }
};

struct LayerNormOpLowering : OpConversionPattern<mllm::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    SmallVector<Value> params = {adaptor.getScale()};
    if (adaptor.getBias())
      params.push_back(adaptor.getBias());
    if (failed(verifyNormOperands(op, type, axis, params)))
      return failure();

    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    MLIRContext *context = rewriter.getContext();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<int64_t> reduced = getTrailingDims(axis, rank);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reducedMap = getDropDimsMap(rank, reduced, context);
    Value invCount = createReciprocalCount(
        rewriter, loc, ArrayRef(sizes).drop_front(axis), computeType);
    TypedAttr zero = rewriter.getFloatAttr(computeType, 0.0);

    Value sum = buildReductionGeneric(
        rewriter, loc, sizes, reduced, zero, input, identity,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::AddFOp::create(
              b, l, args[1], createScalarCast(b, l, args[0], computeType));
        });
    Value squares = buildReductionGeneric(
        rewriter, loc, sizes, reduced, zero, {input, sum},
        {identity, reducedMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value mean = arith::MulFOp::create(b, l, args[1], invCount);
          Value centered = arith::SubFOp::create(
              b, l, createScalarCast(b, l, args[0], computeType), mean);
          Value square = arith::MulFOp::create(b, l, centered, centered);
          return arith::AddFOp::create(b, l, args[2], square);
        });

    SmallVector<Value> inputs = {input, sum, squares};
    SmallVector<AffineMap> maps = {identity, reducedMap, reducedMap};
    for (Value param : params) {
      inputs.push_back(param);
      maps.push_back(getBroadcastIndexingMap(
          cast<RankedTensorType>(param.getType()).getShape(), type.getShape(),
          context));
    }
    float epsilon = op.getEpsilon();
    Value result = buildParallelGeneric(
        rewriter, loc, sizes, elementType, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value mean = arith::MulFOp::create(b, l, args[1], invCount);
          Value variance = arith::MulFOp::create(b, l, args[2], invCount);
          Value denominator = math::RsqrtOp::create(
              b, l,
              arith::AddFOp::create(
                  b, l, variance,
                  createScalarConstant(b, l, computeType, epsilon)));
          Value centered = arith::SubFOp::create(
              b, l, createScalarCast(b, l, args[0], computeType), mean);
          Value normalized = arith::MulFOp::create(b, l, centered, denominator);
          Value scaled = arith::MulFOp::create(
              b, l, normalized, createScalarCast(b, l, args[3], computeType));
          if (args.size() > 4)
            scaled = arith::AddFOp::create(
                b, l, scaled, createScalarCast(b, l, args[4], computeType));
          return createScalarCast(b, l, scaled, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct RmsNormOpLowering : OpConversionPattern<mllm::RmsNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::RmsNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value scale = adaptor.getScale();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (failed(verifyNormOperands(op, type, axis, scale)))
      return failure();

    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    MLIRContext *context = rewriter.getContext();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<int64_t> reduced = getTrailingDims(axis, rank);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value invCount = createReciprocalCount(
        rewriter, loc, ArrayRef(sizes).drop_front(axis), computeType);

    Value squares = buildReductionGeneric(
        rewriter, loc, sizes, reduced, rewriter.getFloatAttr(computeType, 0.0),
        input, identity,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = createScalarCast(b, l, args[0], computeType);
          return arith::AddFOp::create(b, l, args[1],
                                       arith::MulFOp::create(b, l, x, x));
        });
    float epsilon = op.getEpsilon();
    Value result = buildParallelGeneric(
        rewriter, loc, sizes, elementType, {input, squares, scale},
        {identity, getDropDimsMap(rank, reduced, context),
         getBroadcastIndexingMap(
             cast<RankedTensorType>(scale.getType()).getShape(),
             type.getShape(), context)},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value meanSquare = arith::MulFOp::create(b, l, args[1], invCount);
          Value denominator = math::RsqrtOp::create(
              b, l,
              arith::AddFOp::create(
                  b, l, meanSquare,
                  createScalarConstant(b, l, computeType, epsilon)));
          Value normalized = arith::MulFOp::create(
              b, l, createScalarCast(b, l, args[0], computeType), denominator);
          Value scaled = arith::MulFOp::create(
              b, l, normalized, createScalarCast(b, l, args[2], computeType));
          return createScalarCast(b, l, scaled, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateMllmNormalizationToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxOpLowering, LayerNormOpLowering, RmsNormOpLowering>(
      patterns.getContext());
}

} // namespace mllmc
