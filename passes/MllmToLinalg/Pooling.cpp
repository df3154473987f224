//===- Pooling.cpp - pool -------------------------------------------------===//
//
// mllm.pool: the input is padded with tensor.pad (by the op's pads, plus what
// the last ceil-mode window overhangs) with the identity of the reduction
// (the lowest value for max, zero for avg and lp), then one linalg.generic
// reduces every window: parallel over [N, C, O...], reduction over the
// kernel offsets, reading input[n, c, o * stride + k * dilation]. An
// elementwise generic then finishes avg (divides by the number of taps that
// count, computed from the output index where the padding makes it vary)
// and lp (the p-th root). Max with indices keeps the flattened position of
// the running maximum in a second output of the same generic. Floats
// narrower than f32 accumulate avg and lp in f32.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"
#include "passes/MllmToLinalg/WindowBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// The window of one mllm.pool, per spatial dimension.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations;
  /// The op's pads (begin, end) and the extra end pad of ceil mode.
  SmallVector<int64_t> padBegin, padEnd, ceilPad;

  int64_t getReach(size_t i) const {
    return dilations[i] * (kernel[i] - 1) + 1;
  }
};

/// The index of an [N, C, spatial...] `input` element as a flattened i64:
/// `(n * C + c) * prod(D) + spatial`, with the spatial index row-major or,
/// with `columnMajor`, column-major. `dims` are the sizes [C, D...].
Value buildFlatIndex(OpBuilder &b, Location loc, ArrayRef<Value> position,
                     ArrayRef<Value> dims, bool columnMajor) {
  auto mul = [&](Value x, Value y) {
    return arith::MulIOp::create(b, loc, x, y);
  };
  auto add = [&](Value x, Value y) {
    return arith::AddIOp::create(b, loc, x, y);
  };
  size_t spatial = position.size() - 2;
  Value flat = add(mul(position[0], dims[0]), position[1]);
  Value spatialIndex;
  if (columnMajor) {
    spatialIndex = position[1 + spatial];
    for (int64_t i = static_cast<int64_t>(spatial) - 1; i >= 1; --i)
      spatialIndex = add(position[1 + i], mul(dims[i], spatialIndex));
  } else {
    spatialIndex = position[2];
    for (size_t i = 1; i < spatial; ++i)
      spatialIndex = add(mul(spatialIndex, dims[1 + i]), position[2 + i]);
  }
  for (size_t i = 0; i < spatial; ++i)
    flat = mul(flat, dims[1 + i]);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                    add(flat, spatialIndex));
}

/// The number of taps of the window at output index `o` (an index value)
/// that fall in [lo, hi) of spatial dimension `i` (in unpadded input
/// coordinates): the k in [0, K) with lo <= start + k * d < hi, where
/// start = o * s - padBegin. With unsigned divisions of non-negative values
/// only: the taps below hi are max(hi - start + d - 1, 0) / d, those below
/// lo are ceil(max(lo - start, 0) / d), both at most K.
Value buildTapCount(OpBuilder &b, Location loc, const Window &window, size_t i,
                    Value o, Value lo, Value hi) {
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto sub = [&](Value x, Value y) {
    return arith::SubIOp::create(b, loc, x, y);
  };
  auto add = [&](Value x, int64_t y) {
    return arith::AddIOp::create(b, loc, x, index(y));
  };
  auto clamp = [&](Value x, int64_t low, int64_t high) {
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, x, index(low)), index(high));
  };
  int64_t d = window.dilations[i], k = window.kernel[i];
  Value start = sub(arith::MulIOp::create(b, loc, o, index(window.strides[i])),
                    index(window.padBegin[i]));
  Value below = arith::DivUIOp::create(
      b, loc, add(clamp(sub(lo, start), 0, k * d), d - 1), index(d));
  Value upTo = arith::DivUIOp::create(
      b, loc, clamp(add(sub(hi, start), d - 1), 0, k * d), index(d));
  return arith::MaxSIOp::create(b, loc, sub(upTo, below), index(0));
}

struct PoolOpLowering : OpConversionPattern<mllm::PoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::PoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType =
        cast<RankedTensorType>(getSignlessType(op.getResult().getType()));
    bool isUnsigned = isUnsignedElementType(op.getInput().getType());
    Type elementType = inputType.getElementType();
    mllm::PoolKind kind = op.getKind();
    Type accType =
        kind == mllm::PoolKind::max ? elementType : getComputeType(elementType);
    int64_t spatial = inputType.getRank() - 2;

    Window window{SmallVector<int64_t>(op.getKernelShape()),
                  SmallVector<int64_t>(op.getStrides()),
                  SmallVector<int64_t>(op.getDilations()),
                  SmallVector<int64_t>(op.getPads().take_front(spatial)),
                  SmallVector<int64_t>(op.getPads().drop_front(spatial)),
                  SmallVector<int64_t>(spatial, 0)};
    SmallVector<int64_t> padHigh;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t size = inputType.getDimSize(2 + i);
      if (op.getCeilMode()) {
        if (ShapedType::isDynamic(size))
          return emitLoweringError(op, "ceil_mode needs static spatial sizes");
        int64_t needed =
            (resultType.getDimSize(2 + i) - 1) * window.strides[i] +
            window.getReach(i);
        window.ceilPad[i] = std::max<int64_t>(
            0, needed - (size + window.padBegin[i] + window.padEnd[i]));
      }
      padHigh.push_back(window.padEnd[i] + window.ceilPad[i]);
    }
    TypedAttr padValue = kind == mllm::PoolKind::max
                             ? getLowestValueAttr(elementType, isUnsigned)
                             : rewriter.getZeroAttr(elementType);
    Value padded =
        padSpatial(rewriter, loc, input, window.padBegin, padHigh, padValue);

    // The result sizes; a dynamic spatial one is
    // (padded - reach) / stride + 1.
    SmallVector<OpFoldResult> sizes;
    for (auto [dim, size] : llvm::enumerate(resultType.getShape())) {
      if (!ShapedType::isDynamic(size)) {
        sizes.push_back(rewriter.getIndexAttr(size));
        continue;
      }
      if (dim < 2) {
        sizes.push_back(tensor::getMixedSize(rewriter, loc, input, dim));
        continue;
      }
      auto index = [&](int64_t v) {
        return arith::ConstantIndexOp::create(rewriter, loc, v);
      };
      Value span = arith::SubIOp::create(
          rewriter, loc, tensor::DimOp::create(rewriter, loc, padded, dim),
          index(window.getReach(dim - 2)));
      sizes.push_back(arith::AddIOp::create(rewriter, loc,
                                            arith::DivUIOp::create(
                                                rewriter, loc, span,
                                                index(window.strides[dim - 2])),
                                            index(1))
                          .getResult());
    }

    // Iteration space (n, c, o..., k...): the window read and the reduced
    // kernel dims.
    SmallVector<OpFoldResult> loopSizes(sizes);
    SmallVector<AffineExpr> inputExprs = {getAffineDimExpr(0, context),
                                          getAffineDimExpr(1, context)};
    SmallVector<int64_t> kernelDims;
    for (int64_t i = 0; i < spatial; ++i) {
      loopSizes.push_back(rewriter.getIndexAttr(window.kernel[i]));
      kernelDims.push_back(2 + spatial + i);
      inputExprs.push_back(
          getAffineDimExpr(2 + i, context) * window.strides[i] +
          getAffineDimExpr(2 + spatial + i, context) * window.dilations[i]);
    }
    int64_t numLoops = 2 + 2 * spatial;
    AffineMap inputMap = AffineMap::get(numLoops, 0, inputExprs, context);
    // The kernel dims appear in no operand on their own: a tensor of the
    // window's shape gives their sizes (as linalg's pooling ops take one). A
    // constant, so that it needs no buffer at run time.
    auto windowType =
        RankedTensorType::get(window.kernel, rewriter.getI8Type());
    Value windowShape = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(windowType, rewriter.getI8IntegerAttr(0)));
    AffineMap windowMap = AffineMap::get(
        numLoops, 0,
        llvm::map_to_vector(kernelDims,
                            [&](int64_t dim) -> AffineExpr {
                              return getAffineDimExpr(dim, context);
                            }),
        context);

    if (std::optional<int64_t> order = op.getStorageOrder()) {
      SmallVector<Value> results = buildMaxWithIndices(
          rewriter, loc, input, {padded, windowShape}, sizes,
          {inputMap, windowMap}, window, isUnsigned, *order == 1);
      rewriter.replaceOp(
          op, {castToType(rewriter, loc, results[0], resultType), results[1]});
      return success();
    }

    int64_t p = op.getP();
    TypedAttr init = kind == mllm::PoolKind::max
                         ? getLowestValueAttr(accType, isUnsigned)
                         : rewriter.getZeroAttr(accType);
    Value acc = buildReductionGeneric(
        rewriter, loc, loopSizes, kernelDims, init,
        ValueRange{padded, windowShape}, {inputMap, windowMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = createScalarCast(b, l, args[0], accType);
          if (kind == mllm::PoolKind::max)
            return createScalarBinary(b, l, ScalarBinaryKind::Max, args[2], x,
                                      isUnsigned);
          if (kind == mllm::PoolKind::lp) {
            // |x|^p: small powers by multiplication.
            Value magnitude = math::AbsFOp::create(b, l, x);
            x = magnitude;
            if (p > 4)
              x = createScalarBinary(b, l, ScalarBinaryKind::Pow, magnitude,
                                     createScalarConstant(b, l, accType, p));
            else
              for (int64_t i = 1; i < p; ++i)
                x = createScalarBinary(b, l, ScalarBinaryKind::Mul, x,
                                       magnitude);
          }
          return createScalarBinary(b, l, ScalarBinaryKind::Add, args[2], x);
        });
    if (kind == mllm::PoolKind::max) {
      rewriter.replaceOp(op, castToType(rewriter, loc, acc, resultType));
      return success();
    }

    Value result =
        kind == mllm::PoolKind::avg
            ? buildAverage(rewriter, loc, op, input, acc, sizes, window)
            : buildParallelGeneric(
                  rewriter, loc, sizes, elementType, acc,
                  rewriter.getMultiDimIdentityMap(2 + spatial),
                  [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                    Value root = args[0];
                    if (p == 2)
                      root = math::SqrtOp::create(b, l, root);
                    else if (p != 1)
                      root = createScalarBinary(
                          b, l, ScalarBinaryKind::Pow, root,
                          createScalarConstant(b, l, accType, 1.0 / p));
                    return createScalarCast(b, l, root, elementType);
                  });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }

private:
  /// The window sums `acc` divided by the number of taps that count: those
  /// inside the input, or with count_include_pad inside the explicitly
  /// padded input. A constant when no window reaches into the padding that
  /// does not count.
  static Value buildAverage(OpBuilder &b, Location loc, mllm::PoolOp op,
                            Value input, Value acc,
                            ArrayRef<OpFoldResult> sizes,
                            const Window &window) {
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    Type accType = cast<RankedTensorType>(acc.getType()).getElementType();
    size_t spatial = window.kernel.size();
    bool includePad = op.getCountIncludePad();
    auto isZero = [](int64_t pad) { return pad == 0; };
    bool constantCount =
        llvm::all_of(window.ceilPad, isZero) &&
        (includePad || (llvm::all_of(window.padBegin, isZero) &&
                        llvm::all_of(window.padEnd, isZero)));
    int64_t taps = 1;
    for (int64_t k : window.kernel)
      taps *= k;
    // The counted range [lo, hi) of every spatial dimension.
    SmallVector<Value> lo, hi;
    if (!constantCount) {
      for (size_t i = 0; i < spatial; ++i) {
        Value size = tensor::DimOp::create(b, loc, input, 2 + i);
        int64_t begin = includePad ? -window.padBegin[i] : 0;
        lo.push_back(arith::ConstantIndexOp::create(b, loc, begin));
        hi.push_back(includePad
                         ? arith::AddIOp::create(b, loc, size,
                                                 arith::ConstantIndexOp::create(
                                                     b, loc, window.padEnd[i]))
                               .getResult()
                         : size);
      }
    }
    return buildParallelGeneric(
        b, loc, sizes, elementType, acc, b.getMultiDimIdentityMap(2 + spatial),
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value count;
          if (constantCount) {
            count = createScalarConstant(nb, l, accType, taps);
          } else {
            Value product;
            for (size_t i = 0; i < spatial; ++i) {
              Value o = linalg::IndexOp::create(nb, l, 2 + i);
              Value inside = buildTapCount(nb, l, window, i, o, lo[i], hi[i]);
              product = product ? arith::MulIOp::create(nb, l, product, inside)
                                      .getResult()
                                : inside;
            }
            count = arith::SIToFPOp::create(
                nb, l, accType,
                arith::IndexCastOp::create(nb, l, nb.getI64Type(), product));
          }
          Value mean =
              createScalarBinary(nb, l, ScalarBinaryKind::Div, args[0], count);
          return createScalarCast(nb, l, mean, elementType);
        });
  }

  /// Max pooling with the flattened input position of every maximum (the
  /// first one on ties): one generic with two outputs. `inputs` are the
  /// padded input and the window shape, read through `inputMaps`.
  static SmallVector<Value>
  buildMaxWithIndices(OpBuilder &b, Location loc, Value input,
                      ValueRange inputs, ArrayRef<OpFoldResult> sizes,
                      ArrayRef<AffineMap> inputMaps, const Window &window,
                      bool isUnsigned, bool columnMajor) {
    MLIRContext *context = b.getContext();
    Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
    size_t spatial = window.kernel.size();
    Value values = createFilledTensor(
        b, loc, sizes, getLowestValueAttr(elementType, isUnsigned));
    Value indices = createFilledTensor(b, loc, sizes, b.getI64IntegerAttr(0));
    // [C, D...] of the input, for the flattened index.
    SmallVector<Value> dims;
    for (int64_t dim = 1, rank = 2 + spatial; dim < rank; ++dim)
      dims.push_back(tensor::DimOp::create(b, loc, input, dim));
    int64_t numLoops = 2 + 2 * spatial;
    SmallVector<AffineExpr> resultExprs;
    for (size_t i = 0; i < 2 + spatial; ++i)
      resultExprs.push_back(getAffineDimExpr(i, context));
    AffineMap resultMap = AffineMap::get(numLoops, 0, resultExprs, context);
    SmallVector<utils::IteratorType> iterators(2 + spatial,
                                               utils::IteratorType::parallel);
    iterators.append(spatial, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{values.getType(), indices.getType()}, inputs,
        ValueRange{values, indices},
        SmallVector<AffineMap>{inputMaps[0], inputMaps[1], resultMap,
                               resultMap},
        iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
          auto index = [&](int64_t v) {
            return arith::ConstantIndexOp::create(nb, l, v);
          };
          SmallVector<Value> position = {linalg::IndexOp::create(nb, l, 0),
                                         linalg::IndexOp::create(nb, l, 1)};
          for (size_t i = 0; i < spatial; ++i) {
            Value o = linalg::IndexOp::create(nb, l, 2 + i);
            Value k = linalg::IndexOp::create(nb, l, 2 + spatial + i);
            Value at = arith::AddIOp::create(
                nb, l,
                arith::MulIOp::create(nb, l, o, index(window.strides[i])),
                arith::MulIOp::create(nb, l, k, index(window.dilations[i])));
            position.push_back(
                arith::SubIOp::create(nb, l, at, index(window.padBegin[i])));
          }
          Value flat = buildFlatIndex(nb, l, position, dims, columnMajor);
          Value greater = createScalarCmp(nb, l, ScalarCmpKind::Gt, args[0],
                                          args[2], isUnsigned);
          linalg::YieldOp::create(
              nb, l,
              ValueRange{
                  arith::SelectOp::create(nb, l, greater, args[0], args[2]),
                  arith::SelectOp::create(nb, l, greater, flat, args[3])});
        });
    return SmallVector<Value>{generic.getResult(0), generic.getResult(1)};
  }
};

} // namespace

void populateMllmPoolingToLinalgPatterns(const TypeConverter &typeConverter,
                                         RewritePatternSet &patterns) {
  patterns.add<PoolOpLowering>(typeConverter, patterns.getContext());
}

} // namespace mllmc
