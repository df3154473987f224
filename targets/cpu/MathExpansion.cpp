//===- MathExpansion.cpp - tan and the hyperbolic functions ---------------===//

#include "targets/cpu/MathExpansion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mllmc::cpu {
namespace {

/// Builds scalar or vector f32 arithmetic of the type of the rewritten op.
class Builder {
public:
  Builder(PatternRewriter &rewriter, Operation *op)
      : b(rewriter), loc(op->getLoc()), type(op->getResult(0).getType()) {}

  Value c(double value) {
    auto elementType = cast<FloatType>(getElementTypeOrSelf(type));
    TypedAttr attr = b.getFloatAttr(elementType, value);
    if (auto shaped = dyn_cast<ShapedType>(type))
      attr = SplatElementsAttr::get(shaped, attr);
    return arith::ConstantOp::create(b, loc, attr);
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value neg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value abs(Value x) { return math::AbsFOp::create(b, loc, x); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value expm1(Value x) { return math::ExpM1Op::create(b, loc, x); }
  Value log(Value x) { return math::LogOp::create(b, loc, x); }
  Value log1p(Value x) { return math::Log1pOp::create(b, loc, x); }
  Value sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }
  Value copySign(Value magnitude, Value sign) {
    return math::CopySignOp::create(b, loc, magnitude, sign);
  }
  Value less(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  /// i32 arithmetic of the same shape.
  Type i32Type() {
    Type i32 = b.getI32Type();
    if (auto shaped = dyn_cast<ShapedType>(type))
      return shaped.clone(i32);
    return i32;
  }
  Value ci(int32_t value) {
    TypedAttr attr = b.getI32IntegerAttr(value);
    if (auto shaped = dyn_cast<ShapedType>(i32Type()))
      attr = SplatElementsAttr::get(shaped, attr);
    return arith::ConstantOp::create(b, loc, attr);
  }
  Value toInt(Value x) { return arith::FPToSIOp::create(b, loc, i32Type(), x); }
  Value toFloat(Value i) { return arith::SIToFPOp::create(b, loc, type, i); }
  Value addI(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value isNonZero(Value i) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, i, ci(0));
  }

private:
  PatternRewriter &b;
  Location loc;
  Type type;
};

/// Above this magnitude, 1 / x^2 is below f32's precision: asinh(x) and
/// acosh(x) are log(2x).
constexpr double kLargeArgument = 4096.0;
/// exp overflows f32 above ~88.72 while sinh and cosh stay finite until
/// ~89.42: above this, they are exp(|x| - ln 2).
constexpr double kExpLimit = 88.0;

template <typename OpTy> struct F32Pattern : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const final {
    if (!getElementTypeOrSelf(op.getType()).isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Builder b(rewriter, op);
    rewriter.replaceOp(op, expand(b, op.getOperand()));
    return success();
  }

  virtual Value expand(Builder &b, Value x) const = 0;
};

/// sinh(x) = sign(x) * (u + u / (u + 1)) / 2 with u = expm1(|x|).
struct SinhExpansion : F32Pattern<math::SinhOp> {
  using F32Pattern::F32Pattern;
  Value expand(Builder &b, Value x) const override {
    Value a = b.abs(x);
    Value u = b.expm1(a);
    Value moderate = b.mul(b.c(0.5), b.add(u, b.div(u, b.add(u, b.c(1.0)))));
    Value large = b.exp(b.sub(a, b.c(M_LN2)));
    return b.copySign(b.select(b.less(a, b.c(kExpLimit)), moderate, large), x);
  }
};

/// cosh(x) = (e + 1 / e) / 2 with e = exp(|x|).
struct CoshExpansion : F32Pattern<math::CoshOp> {
  using F32Pattern::F32Pattern;
  Value expand(Builder &b, Value x) const override {
    Value a = b.abs(x);
    Value e = b.exp(a);
    Value moderate = b.mul(b.c(0.5), b.add(e, b.div(b.c(1.0), e)));
    Value large = b.exp(b.sub(a, b.c(M_LN2)));
    return b.select(b.less(a, b.c(kExpLimit)), moderate, large);
  }
};

/// asinh(x) = sign(x) * log1p(a + a^2 / (1 + sqrt(1 + a^2))), a = |x|.
struct AsinhExpansion : F32Pattern<math::AsinhOp> {
  using F32Pattern::F32Pattern;
  Value expand(Builder &b, Value x) const override {
    Value a = b.abs(x);
    Value a2 = b.mul(a, a);
    Value moderate = b.log1p(
        b.add(a, b.div(a2, b.add(b.c(1.0), b.sqrt(b.add(b.c(1.0), a2))))));
    Value large = b.add(b.log(a), b.c(M_LN2));
    return b.copySign(b.select(b.less(a, b.c(kLargeArgument)), moderate, large),
                      x);
  }
};

/// acosh(x) = log1p(t + sqrt(2t + t^2)) with t = x - 1; NaN below 1.
struct AcoshExpansion : F32Pattern<math::AcoshOp> {
  using F32Pattern::F32Pattern;
  Value expand(Builder &b, Value x) const override {
    Value t = b.sub(x, b.c(1.0));
    Value moderate =
        b.log1p(b.add(t, b.sqrt(b.add(b.mul(b.c(2.0), t), b.mul(t, t)))));
    Value large = b.add(b.log(x), b.c(M_LN2));
    Value result = b.select(b.less(x, b.c(kLargeArgument)), moderate, large);
    return b.select(b.less(x, b.c(1.0)),
                    b.c(std::numeric_limits<double>::quiet_NaN()), result);
  }
};

/// atanh(x) = sign(x) * log1p(2a / (1 - a)) / 2, a = |x|.
struct AtanhExpansion : F32Pattern<math::AtanhOp> {
  using F32Pattern::F32Pattern;
  Value expand(Builder &b, Value x) const override {
    Value a = b.abs(x);
    Value ratio = b.div(b.mul(b.c(2.0), a), b.sub(b.c(1.0), a));
    return b.copySign(b.mul(b.c(0.5), b.log1p(ratio)), x);
  }
};

/// tan(x) as Cephes' tanf: |x| reduced to z in [-pi/4, pi/4] by the
/// nearest even multiple j of pi/4 (pi/4 split in three parts, exact for
/// |x| below 8192), a minimax polynomial for tan(z), and -1 / tan(z) when
/// j / 2 is odd. sin(x) / cos(x) loses the relative accuracy near the
/// zeros of sin.
struct TanExpansion : F32Pattern<math::TanOp> {
  using F32Pattern::F32Pattern;
  Value expand(Builder &b, Value x) const override {
    Value a = b.abs(x);
    Value j = b.toInt(b.mul(a, b.c(4 / M_PI)));
    j = b.addI(j, b.andI(j, b.ci(1)));
    Value y = b.toFloat(j);
    Value z = b.sub(b.sub(b.sub(a, b.mul(y, b.c(0.78515625))),
                          b.mul(y, b.c(2.4187564849853515625e-4))),
                    b.mul(y, b.c(3.77489497744594108e-8)));
    Value zz = b.mul(z, z);
    Value poly = b.c(9.38540185543e-3);
    for (double coefficient :
         {3.11992232697e-3, 2.44301354525e-2, 5.34112807005e-2,
          1.33387994085e-1, 3.33331568548e-1})
      poly = b.add(b.mul(poly, zz), b.c(coefficient));
    Value t = b.add(b.mul(b.mul(poly, zz), z), z);
    Value cotangent = b.isNonZero(b.andI(j, b.ci(2)));
    t = b.select(cotangent, b.div(b.c(-1.0), t), t);
    // tan is odd: tan(x) = -tan(|x|) for negative x.
    return b.select(b.less(x, b.c(0.0)), b.neg(t), t);
  }
};

} // namespace

void populateMathExpansionPatterns(RewritePatternSet &patterns) {
  patterns.add<TanExpansion, SinhExpansion, CoshExpansion, AsinhExpansion,
               AcoshExpansion, AtanhExpansion>(patterns.getContext(),
                                               /*benefit=*/2);
}

} // namespace mllmc::cpu
