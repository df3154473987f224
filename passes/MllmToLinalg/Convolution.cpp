//===- Convolution.cpp - conv ---------------------------------------------===//
//
// mllm.conv: the input is zero-padded with tensor.pad, the accumulator starts
// as the broadcast bias (or zero), then
//   - group == 1 with one or two spatial dims: linalg.conv_1d_ncw_fcw /
//     linalg.conv_2d_nchw_fchw carrying the strides and dilations;
//   - otherwise (grouped, depthwise, 3-D and up): a linalg.generic over
//     [N, G, F / G, O...] x [C / G, K...] on views that split the channels
//     into groups.
// Floats narrower than f32 accumulate in f32 and are rounded back at the end.
//
// mllm.conv_transpose is the convolution, with stride 1 and the kernel
// flipped, of the input spread `stride` apart inside a zero tensor
// (tensor.insert_slice with strides) and padded by `dilation * (K - 1)`
// less the begin pad; a begin pad wider than that crops the result.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/WindowBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// The sizes of the result [N, F, O...]: static ones from `resultType`,
/// dynamic ones read from the operands (N, F) or computed from the padded
/// input and the kernel (`(D - dilation * (K - 1) - 1) / stride + 1`).
SmallVector<OpFoldResult> getResultSizes(OpBuilder &b, Location loc,
                                         RankedTensorType resultType,
                                         Value padded, Value weight,
                                         ArrayRef<int64_t> strides,
                                         ArrayRef<int64_t> dilations) {
  SmallVector<OpFoldResult> sizes;
  for (auto [dim, size] : llvm::enumerate(resultType.getShape())) {
    if (!ShapedType::isDynamic(size)) {
      sizes.push_back(b.getIndexAttr(size));
    } else if (dim < 2) {
      sizes.push_back(
          tensor::getMixedSize(b, loc, dim == 0 ? padded : weight, dim));
    } else {
      Value in = tensor::DimOp::create(b, loc, padded, dim);
      Value kernel = tensor::DimOp::create(b, loc, weight, dim);
      auto index = [&](int64_t v) {
        return arith::ConstantIndexOp::create(b, loc, v);
      };
      Value one = index(1);
      // span = D - dilation * (K - 1) - 1; the verifier made it >= 0.
      Value reach =
          arith::MulIOp::create(b, loc, index(dilations[dim - 2]),
                                arith::SubIOp::create(b, loc, kernel, one));
      Value span = arith::SubIOp::create(
          b, loc, arith::SubIOp::create(b, loc, in, reach), one);
      Value out = arith::AddIOp::create(
          b, loc, arith::DivUIOp::create(b, loc, span, index(strides[dim - 2])),
          one);
      sizes.push_back(out);
    }
  }
  return sizes;
}

/// The accumulator over `sizes` in `accType`: `bias` (of the filters, read
/// through `biasMap`) converted to `accType`, or zero without a bias.
Value createAccumulator(OpBuilder &b, Location loc,
                        ArrayRef<OpFoldResult> sizes, Type accType, Value bias,
                        AffineMap biasMap) {
  if (!bias)
    return createFilledTensor(b, loc, sizes, b.getZeroAttr(accType));
  return buildParallelGeneric(
      b, loc, sizes, accType, bias, biasMap,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return createScalarCast(nested, nestedLoc, args[0], accType);
      });
}

/// `acc += input * weight` with linalg.conv_1d_ncw_fcw or
/// linalg.conv_2d_nchw_fchw.
Value buildNamedConv(OpBuilder &b, Location loc, Value input, Value weight,
                     Value acc, ArrayRef<int64_t> strides,
                     ArrayRef<int64_t> dilations) {
  auto attr = [&](ArrayRef<int64_t> values) {
    return DenseIntElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(values.size())},
                              b.getI64Type()),
        values);
  };
  SmallVector<Value> inputs = {input, weight};
  if (strides.size() == 1)
    return linalg::Conv1DNcwFcwOp::create(b, loc, acc.getType(), inputs, acc,
                                          attr(strides), attr(dilations))
        .getResult(0);
  return linalg::Conv2DNchwFchwOp::create(b, loc, acc.getType(), inputs, acc,
                                          attr(strides), attr(dilations))
      .getResult(0);
}

/// The grouped window sum both convolutions end in: a generic over
/// (n, g, f, o..., c, k...) with acc [N, G, F/G, O...] += input [N, G, C/G,
/// ...] read at (n, g, c, tap(o_i, k_i, i)...) times weight [G, F/G, C/G, K...]
/// (or [G, C/G, F/G, K...] when `channelsFirstWeight`), in acc's element
/// type, collapsed back to [N, F, O...]. `input`, `weight` and `acc` are not
/// yet split into groups.
Value buildGroupedWindowSum(
    OpBuilder &b, Location loc, Value input, Value weight, Value acc,
    int64_t spatial, int64_t group, bool channelsFirstWeight,
    function_ref<AffineExpr(AffineExpr o, AffineExpr k, int64_t i)> tap) {
  MLIRContext *context = b.getContext();
  Value groupedInput = splitDim(b, loc, input, 1, group);
  Value groupedWeight = splitDim(b, loc, weight, 0, group);
  Value groupedAcc = splitDim(b, loc, acc, 1, group);

  // Loop dims: n, g, f, o_0.., then c, k_0...
  int64_t numLoops = 3 + 2 * spatial + 1;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, context); };
  AffineExpr n = dim(0), g = dim(1), f = dim(2), c = dim(3 + spatial);
  SmallVector<AffineExpr> inputExprs = {n, g, c}, accExprs = {n, g, f};
  SmallVector<AffineExpr> weightExprs = {g, f, c};
  if (channelsFirstWeight)
    weightExprs = {g, c, f};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = dim(3 + i), k = dim(4 + spatial + i);
    inputExprs.push_back(tap(o, k, i));
    weightExprs.push_back(k);
    accExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {
      AffineMap::get(numLoops, 0, inputExprs, context),
      AffineMap::get(numLoops, 0, weightExprs, context),
      AffineMap::get(numLoops, 0, accExprs, context)};
  SmallVector<utils::IteratorType> iterators(3 + spatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  Type accType = cast<RankedTensorType>(acc.getType()).getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, groupedAcc.getType(), ValueRange{groupedInput, groupedWeight},
      groupedAcc, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value x = createScalarCast(nested, nestedLoc, args[0], accType);
        Value w = createScalarCast(nested, nestedLoc, args[1], accType);
        Value product =
            createScalarBinary(nested, nestedLoc, ScalarBinaryKind::Mul, x, w);
        Value sum = createScalarBinary(nested, nestedLoc, ScalarBinaryKind::Add,
                                       args[2], product);
        linalg::YieldOp::create(nested, nestedLoc, sum);
      });
  // Back to [N, F, O...].
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
  for (int64_t i = 0; i < spatial; ++i)
    groups.push_back({3 + i});
  return tensor::CollapseShapeOp::create(b, loc, acc.getType(),
                                         generic.getResult(0), groups);
}

/// `acc += input * weight` for any group count and spatial rank: input
/// [N, C, D...] read at `o * stride + k * dilation`, weight [F, C/G, K...].
Value buildGroupedConv(OpBuilder &b, Location loc, Value input, Value weight,
                       Value acc, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations, int64_t group) {
  return buildGroupedWindowSum(b, loc, input, weight, acc, strides.size(),
                               group,
                               /*channelsFirstWeight=*/false,
                               [&](AffineExpr o, AffineExpr k, int64_t i) {
                                 return o * strides[i] + k * dilations[i];
                               });
}

struct ConvOpLowering : OpConversionPattern<mllm::ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Type accType = getComputeType(elementType);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    int64_t spatial = strides.size();
    int64_t group = op.getGroup();
    if (group > 1 && (ShapedType::isDynamic(resultType.getDimSize(1)) ||
                      ShapedType::isDynamic(
                          cast<RankedTensorType>(adaptor.getInput().getType())
                              .getDimSize(1))))
      return emitLoweringError(
          op, "a grouped convolution needs static channel counts");

    ArrayRef<int64_t> pads = op.getPads();
    Value padded =
        padSpatial(rewriter, loc, adaptor.getInput(), pads.take_front(spatial),
                   pads.drop_front(spatial), rewriter.getZeroAttr(elementType));
    Value weight = adaptor.getWeight();
    SmallVector<OpFoldResult> sizes = getResultSizes(
        rewriter, loc, resultType, padded, weight, strides, dilations);
    // The bias [F] is read at the filter index of [N, F, O...].
    AffineMap biasMap = AffineMap::get(
        2 + spatial, 0, getAffineDimExpr(1, rewriter.getContext()));
    Value acc = createAccumulator(rewriter, loc, sizes, accType,
                                  adaptor.getBias(), biasMap);

    Value result = group == 1 && spatial <= 2
                       ? buildNamedConv(rewriter, loc, padded, weight, acc,
                                        strides, dilations)
                       : buildGroupedConv(rewriter, loc, padded, weight, acc,
                                          strides, dilations, group);
    result = buildElementTypeCast(rewriter, loc, result, elementType);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// `acc += spread * flip(weight)` for mllm.conv_transpose: spread
/// [N, C, L...] read at `o + (K - 1 - k) * dilation`, weight [C, F/G, K...].
Value buildTransposedConv(OpBuilder &b, Location loc, Value spread,
                          Value weight, Value acc, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> dilations, int64_t group) {
  return buildGroupedWindowSum(
      b, loc, spread, weight, acc, kernel.size(), group,
      /*channelsFirstWeight=*/true, [&](AffineExpr o, AffineExpr k, int64_t i) {
        // The flipped kernel: tap k meets spread[o + (K - 1 - k) * dilation].
        return o + (kernel[i] - 1 - k) * dilations[i];
      });
}

struct ConvTransposeOpLowering : OpConversionPattern<mllm::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    Type elementType = resultType.getElementType();
    Type accType = getComputeType(elementType);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      pads = op.getPads();
    int64_t spatial = strides.size();
    int64_t group = op.getGroup();
    if (!inputType.hasStaticShape() || !weightType.hasStaticShape())
      return emitLoweringError(
          op, "a transposed convolution needs static input and weight shapes");

    // The input spread `stride` apart in zeros, `lowPad` in; the
    // convolution computes `cropLow + O` elements per spatial dimension
    // and the first `cropLow` are dropped.
    SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
    SmallVector<int64_t> spreadShape(inputType.getShape().take_front(2));
    SmallVector<int64_t> offsets = {0, 0}, steps = {1, 1};
    SmallVector<int64_t> cropLow,
        fullShape = {resultType.getDimSize(0), resultType.getDimSize(1)};
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t reach = dilations[i] * (kernel[i] - 1);
      int64_t lowPad = std::max<int64_t>(0, reach - pads[i]);
      cropLow.push_back(std::max<int64_t>(0, pads[i] - reach));
      int64_t full = cropLow.back() + resultType.getDimSize(2 + i);
      fullShape.push_back(full);
      int64_t size = inputType.getDimSize(2 + i);
      spreadShape.push_back(
          std::max(full + reach, lowPad + (size - 1) * strides[i] + 1));
      offsets.push_back(lowPad);
      steps.push_back(strides[i]);
    }
    Value zeros = createFilledTensor(
        rewriter, loc,
        getAsIndexOpFoldResult(rewriter.getContext(), spreadShape),
        rewriter.getZeroAttr(inputType.getElementType()));
    Value spread = tensor::InsertSliceOp::create(
        rewriter, loc, input, zeros,
        getAsIndexOpFoldResult(rewriter.getContext(), offsets),
        getAsIndexOpFoldResult(rewriter.getContext(), inputType.getShape()),
        getAsIndexOpFoldResult(rewriter.getContext(), steps));

    AffineMap biasMap = AffineMap::get(
        2 + spatial, 0, getAffineDimExpr(1, rewriter.getContext()));
    Value acc = createAccumulator(
        rewriter, loc, getAsIndexOpFoldResult(rewriter.getContext(), fullShape),
        accType, adaptor.getBias(), biasMap);
    Value result = buildTransposedConv(rewriter, loc, spread, weight, acc,
                                       kernel, dilations, group);
    if (llvm::any_of(cropLow, [](int64_t crop) { return crop > 0; })) {
      SmallVector<int64_t> sliceOffsets = {0, 0};
      sliceOffsets.append(cropLow);
      SmallVector<int64_t> ones(2 + spatial, 1);
      result = tensor::ExtractSliceOp::create(
          rewriter, loc, result,
          getAsIndexOpFoldResult(rewriter.getContext(), sliceOffsets),
          getAsIndexOpFoldResult(rewriter.getContext(), resultType.getShape()),
          getAsIndexOpFoldResult(rewriter.getContext(), ones));
    }
    result = buildElementTypeCast(rewriter, loc, result, elementType);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

void populateMllmConvolutionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvOpLowering, ConvTransposeOpLowering>(patterns.getContext());
}

} // namespace mllmc
