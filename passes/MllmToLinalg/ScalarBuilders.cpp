//===- ScalarBuilders.cpp - Scalar arith/math helpers ---------------------===//

#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

namespace mllmc {

Type getComputeType(Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(type.getContext());
  return type;
}

Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

TypedAttr getLowestValueAttr(Type type, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType,
                          APFloat::getInf(floatType.getFloatSemantics(),
                                          /*Negative=*/true));
  auto intType = cast<IntegerType>(type);
  if (intType.getWidth() == 1 || isUnsigned)
    return IntegerAttr::get(intType, 0);
  return IntegerAttr::get(intType,
                          APInt::getSignedMinValue(intType.getWidth()));
}

TypedAttr getHighestValueAttr(Type type, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType,
                          APFloat::getInf(floatType.getFloatSemantics()));
  auto intType = cast<IntegerType>(type);
  if (intType.getWidth() == 1 || isUnsigned)
    return IntegerAttr::get(intType, APInt::getMaxValue(intType.getWidth()));
  return IntegerAttr::get(intType,
                          APInt::getSignedMaxValue(intType.getWidth()));
}

bool isSupportedScalarCast(Type srcType, Type dstType) {
  auto isSupported = [](Type type) {
    auto intType = dyn_cast<IntegerType>(type);
    return isa<FloatType>(type) || (intType && intType.isSignless());
  };
  return isSupported(srcType) && isSupported(dstType);
}

Value createScalarCast(OpBuilder &b, Location loc, Value value, Type dstType,
                       bool srcUnsigned, bool dstUnsigned) {
  Type srcType = value.getType();
  if (srcType == dstType)
    return value;
  auto srcFloat = dyn_cast<FloatType>(srcType);
  auto dstFloat = dyn_cast<FloatType>(dstType);
  auto srcInt = dyn_cast<IntegerType>(srcType);
  auto dstInt = dyn_cast<IntegerType>(dstType);
  if (!isSupportedScalarCast(srcType, dstType))
    return nullptr;

  if (srcFloat && dstFloat) {
    if (srcFloat.getWidth() < dstFloat.getWidth())
      return arith::ExtFOp::create(b, loc, dstType, value);
    if (srcFloat.getWidth() > dstFloat.getWidth())
      return arith::TruncFOp::create(b, loc, dstType, value);
    // Same width, different format (f16 <-> bf16): go through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, dstType, wide);
  }
  srcUnsigned |= srcInt && srcInt.getWidth() == 1;
  if (srcInt && dstFloat) {
    if (srcUnsigned)
      return arith::UIToFPOp::create(b, loc, dstType, value);
    return arith::SIToFPOp::create(b, loc, dstType, value);
  }
  if (dstInt && dstInt.getWidth() == 1) {
    if (srcFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   createScalarConstant(b, loc, srcType, 0.0));
    if (srcInt)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                   createScalarConstant(b, loc, srcType, 0.0));
    return nullptr;
  }
  if (srcFloat && dstInt) {
    if (!dstUnsigned)
      return arith::FPToSIOp::create(b, loc, dstType, value);
    if (dstInt.getWidth() == 64)
      return arith::FPToUIOp::create(b, loc, dstType, value);
    // Narrower unsigned results keep the low bits of the signed 64-bit
    // value, so -1.0 becomes 255 for ui8 like a C cast on x86.
    Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), value);
    return arith::TruncIOp::create(b, loc, dstType, wide);
  }
  if (srcInt && dstInt) {
    if (srcInt.getWidth() < dstInt.getWidth())
      return srcUnsigned
                 ? Value(arith::ExtUIOp::create(b, loc, dstType, value))
                 : Value(arith::ExtSIOp::create(b, loc, dstType, value));
    return arith::TruncIOp::create(b, loc, dstType, value);
  }
  return nullptr;
}

/// `base^exponent` on integers by squaring, one step per exponent bit (no
/// data-dependent branches). A negative exponent gives the integer part of
/// 1 / base^-exponent: 1 or -1 for a base of 1 or -1, else 0. An unsigned
/// exponent is never negative (and uses every bit).
static Value createIntegerPow(OpBuilder &b, Location loc, Value base,
                              Value exponent, bool isUnsigned) {
  Type type = base.getType();
  unsigned width = type.getIntOrFloatBitWidth();
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
  };
  Value one = constant(1), zero = constant(0);
  Value result = one, square = base;
  unsigned bits = isUnsigned ? width : width - 1;
  for (unsigned bit = 0; bit < bits; ++bit) {
    Value set = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(
            b, loc, exponent,
            arith::ConstantOp::create(
                b, loc,
                b.getIntegerAttr(type, APInt::getOneBitSet(width, bit)))),
        zero);
    result = arith::SelectOp::create(
        b, loc, set, arith::MulIOp::create(b, loc, result, square), result);
    square = arith::MulIOp::create(b, loc, square, square);
  }
  if (isUnsigned)
    return result;
  // Negative exponents: |base| = 1 keeps base^odd/even, else 0.
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, exponent, zero);
  Value odd =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                            arith::AndIOp::create(b, loc, exponent, one), zero);
  Value isOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, one);
  Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           base, constant(-1));
  Value reciprocal = arith::SelectOp::create(
      b, loc, isOne, one,
      arith::SelectOp::create(
          b, loc, isMinusOne,
          arith::SelectOp::create(b, loc, odd, constant(-1), one), zero));
  return arith::SelectOp::create(b, loc, negative, reciprocal, result);
}

Value createScalarBinary(OpBuilder &b, Location loc, ScalarBinaryKind kind,
                         Value lhs, Value rhs, bool isUnsigned) {
  bool isFloat = isa<FloatType>(lhs.getType());
  isUnsigned |= lhs.getType().isInteger(1);
  switch (kind) {
  case ScalarBinaryKind::Add:
    return isFloat ? Value(arith::AddFOp::create(b, loc, lhs, rhs))
                   : Value(arith::AddIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Sub:
    return isFloat ? Value(arith::SubFOp::create(b, loc, lhs, rhs))
                   : Value(arith::SubIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Mul:
    return isFloat ? Value(arith::MulFOp::create(b, loc, lhs, rhs))
                   : Value(arith::MulIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Div:
    if (isFloat)
      return arith::DivFOp::create(b, loc, lhs, rhs);
    return isUnsigned ? Value(arith::DivUIOp::create(b, loc, lhs, rhs))
                      : Value(arith::DivSIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Rem:
    if (isFloat)
      return arith::RemFOp::create(b, loc, lhs, rhs);
    return isUnsigned ? Value(arith::RemUIOp::create(b, loc, lhs, rhs))
                      : Value(arith::RemSIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Max:
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, lhs, rhs);
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, lhs, rhs))
                      : Value(arith::MaxSIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Min:
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, lhs, rhs);
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, lhs, rhs))
                      : Value(arith::MinSIOp::create(b, loc, lhs, rhs));
  case ScalarBinaryKind::Pow:
    return isFloat ? Value(math::PowFOp::create(b, loc, lhs, rhs))
                   : createIntegerPow(b, loc, lhs, rhs, isUnsigned);
  }
  return nullptr;
}

Value createScalarCmp(OpBuilder &b, Location loc, ScalarCmpKind kind, Value lhs,
                      Value rhs, bool isUnsigned) {
  if (isa<FloatType>(lhs.getType())) {
    arith::CmpFPredicate predicate;
    switch (kind) {
    case ScalarCmpKind::Eq:
      predicate = arith::CmpFPredicate::OEQ;
      break;
    case ScalarCmpKind::Ne:
      predicate = arith::CmpFPredicate::UNE;
      break;
    case ScalarCmpKind::Lt:
      predicate = arith::CmpFPredicate::OLT;
      break;
    case ScalarCmpKind::Le:
      predicate = arith::CmpFPredicate::OLE;
      break;
    case ScalarCmpKind::Gt:
      predicate = arith::CmpFPredicate::OGT;
      break;
    case ScalarCmpKind::Ge:
      predicate = arith::CmpFPredicate::OGE;
      break;
    }
    return arith::CmpFOp::create(b, loc, predicate, lhs, rhs);
  }
  bool isBool = isUnsigned || lhs.getType().isInteger(1);
  arith::CmpIPredicate predicate;
  switch (kind) {
  case ScalarCmpKind::Eq:
    predicate = arith::CmpIPredicate::eq;
    break;
  case ScalarCmpKind::Ne:
    predicate = arith::CmpIPredicate::ne;
    break;
  case ScalarCmpKind::Lt:
    predicate = isBool ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt;
    break;
  case ScalarCmpKind::Le:
    predicate = isBool ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle;
    break;
  case ScalarCmpKind::Gt:
    predicate = isBool ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt;
    break;
  case ScalarCmpKind::Ge:
    predicate = isBool ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge;
    break;
  }
  return arith::CmpIOp::create(b, loc, predicate, lhs, rhs);
}

Value createScalarSigmoid(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value one = createScalarConstant(b, loc, type, 1.0);
  Value negated = arith::NegFOp::create(b, loc, x);
  Value denominator =
      arith::AddFOp::create(b, loc, one, math::ExpOp::create(b, loc, negated));
  return arith::DivFOp::create(b, loc, one, denominator);
}

Value createScalarGelu(OpBuilder &b, Location loc, Value x,
                       bool tanhApproximation) {
  Type type = x.getType();
  Value half = createScalarConstant(b, loc, type, 0.5);
  Value one = createScalarConstant(b, loc, type, 1.0);
  Value inner;
  if (tanhApproximation) {
    // sqrt(2 / pi) * (x + 0.044715 * x^3)
    Value cube =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(
            b, loc, createScalarConstant(b, loc, type, 0.044715), cube));
    Value scaled = arith::MulFOp::create(
        b, loc, createScalarConstant(b, loc, type, 0.7978845608028654), poly);
    inner = math::TanhOp::create(b, loc, scaled);
  } else {
    // erf(x / sqrt(2))
    Value scaled = arith::MulFOp::create(
        b, loc, x, createScalarConstant(b, loc, type, 0.7071067811865476));
    inner = math::ErfOp::create(b, loc, scaled);
  }
  Value halfX = arith::MulFOp::create(b, loc, half, x);
  return arith::MulFOp::create(b, loc, halfX,
                               arith::AddFOp::create(b, loc, one, inner));
}

Value createScalarQuickGelu(OpBuilder &b, Location loc, Value x) {
  Value scaled = arith::MulFOp::create(
      b, loc, createScalarConstant(b, loc, x.getType(), 1.702), x);
  return arith::MulFOp::create(b, loc, x, createScalarSigmoid(b, loc, scaled));
}

Value createScalarSilu(OpBuilder &b, Location loc, Value x) {
  return arith::MulFOp::create(b, loc, x, createScalarSigmoid(b, loc, x));
}

Value createScalarRelu(OpBuilder &b, Location loc, Value x) {
  Value zero = createScalarConstant(b, loc, x.getType(), 0.0);
  return createScalarBinary(b, loc, ScalarBinaryKind::Max, x, zero);
}

} // namespace mllmc
