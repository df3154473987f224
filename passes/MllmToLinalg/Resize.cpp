//===- Resize.cpp - mllm.resize to linalg ---------------------------------===//
//
// mllm.resize resamples one axis after the other (interpolation is
// separable), as the ONNX reference does: per axis, one linalg.generic over
// the output computes each element's input coordinate from its index, the
// neighbour indices and their weights, and sums the weighted neighbours read
// with tensor.extract. Coordinates, weights and sums are f64, so the
// rounding of nearest mode and the weights match the reference bit for bit.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;

namespace mllmc {
namespace {

/// What one resampled axis needs: sizes, scale and crop box.
struct AxisResampling {
  int64_t axis;
  int64_t inSize;
  int64_t outSize;
  double scale;
  double roiStart = 0.0;
  double roiEnd = 1.0;
};

/// Scalar f64/i64 arithmetic inside a generic body.
class Scalars {
public:
  Scalars(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value f(double value) {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(value));
  }
  Value i(int64_t value) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(value));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value addI(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value cmpF(arith::CmpFPredicate predicate, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, predicate, x, y);
  }
  Value cmpI(arith::CmpIPredicate predicate, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, predicate, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  Value toF(Value integer) {
    return arith::SIToFPOp::create(b, loc, b.getF64Type(), integer);
  }
  /// `x` clamped to [0, size - 1], as an index.
  Value clampToIndex(Value x, int64_t size) {
    Value clamped = arith::MaxSIOp::create(
        b, loc, arith::MinSIOp::create(b, loc, x, i(size - 1)), i(0));
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), clamped);
  }

  OpBuilder &b;
  Location loc;
};

/// The input coordinate of output index `y` (f64) along `axis`, following
/// the ONNX reference's formulas and order of operations.
Value computeCoordinate(Scalars &s, mllm::ResizeCoordinateMode mode,
                        const AxisResampling &axis, Value y) {
  double in = static_cast<double>(axis.inSize);
  double length = axis.scale * in;
  Value scale = s.f(axis.scale);
  auto halfPixel = [&] {
    return s.sub(s.div(s.add(y, s.f(0.5)), scale), s.f(0.5));
  };
  switch (mode) {
  case mllm::ResizeCoordinateMode::half_pixel:
    return halfPixel();
  case mllm::ResizeCoordinateMode::half_pixel_symmetric: {
    double adjustment = static_cast<double>(axis.outSize) / length;
    double offset = in / 2 * (1 - adjustment);
    return s.sub(s.add(s.f(offset), s.div(s.add(y, s.f(0.5)), scale)),
                 s.f(0.5));
  }
  case mllm::ResizeCoordinateMode::pytorch_half_pixel:
    return length == 1.0 ? s.f(-0.5) : halfPixel();
  case mllm::ResizeCoordinateMode::align_corners:
    return length == 1.0 ? s.f(0.0)
                         : s.div(s.mul(y, s.f(in - 1)), s.f(length - 1));
  case mllm::ResizeCoordinateMode::asymmetric:
    return s.div(y, scale);
  case mllm::ResizeCoordinateMode::tf_crop_and_resize: {
    double width = axis.roiEnd - axis.roiStart;
    Value x = length == 1.0 ? s.f(width * (in - 1) / 2)
                            : s.div(s.mul(s.mul(y, s.f(width)), s.f(in - 1)),
                                    s.f(length - 1));
    return s.add(x, s.f(axis.roiStart * (in - 1)));
  }
  }
  llvm_unreachable("unknown resize coordinate mode");
}

/// The interpolation weights of one axis: `count` neighbours starting at
/// `first` relative to the left neighbour.
struct Taps {
  int64_t first;
  int64_t count;
};

Taps getTaps(mllm::ResizeOp op, double scale) {
  bool antialias = op.getAntialias();
  double filterScale = std::min(scale, 1.0);
  if (op.getMode() == mllm::ResizeMode::linear) {
    if (!antialias)
      return {0, 2};
    int64_t start = static_cast<int64_t>(std::floor(-1 / filterScale)) + 1;
    return {start, 2 - 2 * start};
  }
  if (!antialias)
    return {-1, 4};
  int64_t start = static_cast<int64_t>(std::floor(-2 / filterScale)) + 1;
  return {start, 2 - 2 * start};
}

/// The weight of neighbour `tap` (relative to the left neighbour) at ratio
/// `r` in (0, 1] from it, before any normalization.
Value computeWeight(Scalars &s, mllm::ResizeOp op, double scale, int64_t tap,
                    Value r) {
  double a = op.getCubicCoeffA().convertToDouble();
  bool cubic = op.getMode() == mllm::ResizeMode::cubic;
  if (!op.getAntialias()) {
    if (!cubic)
      return tap == 0 ? s.sub(s.f(1.0), r) : r;
    // The four cubic convolution weights, written as the reference does.
    Value t = tap <= 0 ? r : s.sub(s.f(1.0), r);
    if (tap == -1 || tap == 2) {
      Value t1 = s.add(t, s.f(1.0));
      return s.sub(s.mul(s.add(s.mul(s.sub(s.mul(s.f(a), t1), s.f(5 * a)), t1),
                               s.f(8 * a)),
                         t1),
                   s.f(4 * a));
    }
    return s.add(s.mul(s.mul(s.sub(s.mul(s.f(a + 2), t), s.f(a + 3)), t), t),
                 s.f(1.0));
  }
  // Antialiased: the filter stretched by 1 / scale when downscaling.
  double filterScale = std::min(scale, 1.0);
  Value x = s.mul(s.f(filterScale), s.sub(s.f(static_cast<double>(tap)), r));
  x = math::AbsFOp::create(s.b, s.loc, x);
  if (!cubic) {
    Value w = s.sub(s.f(1.0), x);
    return arith::MaximumFOp::create(s.b, s.loc, w, s.f(0.0));
  }
  Value x2 = s.mul(x, x);
  Value x3 = s.mul(x, x2);
  Value inner =
      s.add(s.sub(s.mul(s.f(a + 2), x3), s.mul(s.f(a + 3), x2)), s.f(1.0));
  Value outer = s.sub(s.add(s.sub(s.mul(s.f(a), x3), s.mul(s.f(5 * a), x2)),
                            s.mul(s.f(8 * a), x)),
                      s.f(4 * a));
  return s.select(s.cmpF(arith::CmpFPredicate::OLE, x, s.f(1.0)), inner,
                  s.select(s.cmpF(arith::CmpFPredicate::OLT, x, s.f(2.0)),
                           outer, s.f(0.0)));
}

/// Resamples `input` along one axis.
Value resampleAxis(OpBuilder &builder, Location loc, mllm::ResizeOp op,
                   Value input, const AxisResampling &axis) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = inputType.getElementType();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, input);
  sizes[axis.axis] = builder.getIndexAttr(axis.outSize);
  int64_t rank = inputType.getRank();
  mllm::ResizeMode mode = op.getMode();
  bool crop =
      op.getCoordinateMode() == mllm::ResizeCoordinateMode::tf_crop_and_resize;

  return buildParallelGeneric(
      builder, loc, sizes, elementType, {}, {},
      [&](OpBuilder &b, Location l, ValueRange) -> Value {
        Scalars s(b, l);
        SmallVector<Value> position;
        for (int64_t d = 0; d < rank; ++d)
          position.push_back(linalg::IndexOp::create(b, l, d));
        Value y = s.toF(arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                   position[axis.axis]));
        Value x = computeCoordinate(s, op.getCoordinateMode(), axis, y);

        // The left neighbour `base` and the ratio r in (0, 1] from it: an
        // integral x counts as ratio 1 from x - 1 (the reference prefers
        // the left pixel). floor without libm: truncate, then step down
        // where truncation rounded up.
        Value truncated =
            arith::FPToSIOp::create(b, l, b.getI64Type(), x).getResult();
        Value floor = s.addI(
            truncated, arith::ExtSIOp::create(b, l, b.getI64Type(),
                                              s.cmpF(arith::CmpFPredicate::OGT,
                                                     s.toF(truncated), x)));
        Value base = s.addI(
            floor, arith::ExtSIOp::create(
                       b, l, b.getI64Type(),
                       s.cmpF(arith::CmpFPredicate::OEQ, s.toF(floor), x)));
        Value r = s.sub(x, s.toF(base));

        Value result;
        if (mode == mllm::ResizeMode::nearest) {
          Value next;
          switch (op.getNearestMode()) {
          case mllm::ResizeNearestMode::round_prefer_floor:
            next = s.cmpF(arith::CmpFPredicate::OGT, r, s.f(0.5));
            break;
          case mllm::ResizeNearestMode::round_prefer_ceil:
            next = s.cmpF(arith::CmpFPredicate::OGE, r, s.f(0.5));
            break;
          case mllm::ResizeNearestMode::floor:
            next = s.cmpF(arith::CmpFPredicate::OEQ, r, s.f(1.0));
            break;
          case mllm::ResizeNearestMode::ceil:
            next = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
            break;
          }
          Value index =
              s.addI(base, arith::ExtUIOp::create(b, l, b.getI64Type(), next));
          position[axis.axis] = s.clampToIndex(index, axis.inSize);
          result = tensor::ExtractOp::create(b, l, input, position);
        } else {
          Taps taps = getTaps(op, axis.scale);
          SmallVector<Value> weights, indices;
          Value total;
          for (int64_t k = 0; k < taps.count; ++k) {
            int64_t tap = taps.first + k;
            Value index = s.addI(base, s.i(tap));
            Value weight = computeWeight(s, op, axis.scale, tap, r);
            if (op.getExcludeOutside()) {
              Value inside = arith::AndIOp::create(
                  b, l, s.cmpI(arith::CmpIPredicate::sge, index, s.i(0)),
                  s.cmpI(arith::CmpIPredicate::slt, index, s.i(axis.inSize)));
              weight = s.select(inside, weight, s.f(0.0));
            }
            total = total ? s.add(total, weight) : weight;
            weights.push_back(weight);
            indices.push_back(index);
          }
          bool normalize = op.getAntialias() || op.getExcludeOutside();
          if (normalize)
            total = s.select(s.cmpF(arith::CmpFPredicate::OEQ, total, s.f(0)),
                             s.f(1.0), total);
          Value sum;
          for (auto [weight, index] : llvm::zip_equal(weights, indices)) {
            position[axis.axis] = s.clampToIndex(index, axis.inSize);
            Value value = createScalarCast(
                b, l, tensor::ExtractOp::create(b, l, input, position),
                b.getF64Type());
            Value w = normalize ? s.div(weight, total) : weight;
            Value term = s.mul(w, value);
            sum = sum ? s.add(sum, term) : term;
          }
          result = createScalarCast(b, l, sum, elementType);
        }
        if (!crop)
          return result;
        Value outside = arith::OrIOp::create(
            b, l, s.cmpF(arith::CmpFPredicate::OLT, x, s.f(0)),
            s.cmpF(arith::CmpFPredicate::OGT, x, s.f(axis.inSize - 1)));
        return s.select(
            outside,
            createScalarConstant(b, l, elementType,
                                 op.getExtrapolationValue().convertToDouble()),
            result);
      });
}

/// Whether resampling `axis` leaves the tensor as it is: the reference skips
/// such axes (scale close to 1, the same size, no crop).
bool isIdentity(const AxisResampling &axis, bool crop) {
  auto close = [](double x, double y) {
    return std::abs(x - y) <= 1e-9 * std::max(std::abs(x), std::abs(y));
  };
  return close(axis.scale, 1.0) && axis.outSize == axis.inSize &&
         (!crop || (axis.roiStart == 0.0 && close(axis.roiEnd, 1.0)));
}

struct ResizeOpLowering : OpConversionPattern<mllm::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(result.getType());
    bool crop = op.getCoordinateMode() ==
                mllm::ResizeCoordinateMode::tf_crop_and_resize;
    size_t count = op.getAxes().size();
    SmallVector<double> scales = op.getScaleValues();
    SmallVector<double> roi = op.getRoiValues();
    for (size_t i = 0; i < count; ++i) {
      AxisResampling axis{op.getAxes()[i], 0, op.getSizes()[i], scales[i]};
      axis.inSize = inputType.getDimSize(axis.axis);
      if (crop) {
        axis.roiStart = roi[i];
        axis.roiEnd = roi[count + i];
      }
      if (isIdentity(axis, crop))
        continue;
      result = resampleAxis(rewriter, op.getLoc(), op, result, axis);
    }
    auto resultType = cast<RankedTensorType>(getSignlessType(op.getType()));
    rewriter.replaceOp(op,
                       castToType(rewriter, op.getLoc(), result, resultType));
    return success();
  }
};

} // namespace

void populateMllmResizeToLinalgPatterns(const TypeConverter &typeConverter,
                                        RewritePatternSet &patterns) {
  patterns.add<ResizeOpLowering>(typeConverter, patterns.getContext());
}

} // namespace mllmc
