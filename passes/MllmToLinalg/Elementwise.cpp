//===- Elementwise.cpp - Broadcasting binary ops, cmp, select -------------===//
//
// Each op becomes one linalg.generic whose indexing maps implement numpy
// broadcasting (see getBroadcastIndexingMap) and whose body is the arith op
// chosen by the element type.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// Lowers `op` to a broadcasting generic over `inputs` with `body`; the
/// result type is `op`'s, converted by `typeConverter` (signless).
LogicalResult lowerBroadcasting(Operation *op, ValueRange inputs,
                                const TypeConverter &typeConverter,
                                ConversionPatternRewriter &rewriter,
                                ScalarBodyBuilder body) {
  auto resultType =
      typeConverter.convertType<RankedTensorType>(op->getResult(0).getType());
  FailureOr<Value> result = buildBroadcastElementwise(rewriter, op->getLoc(),
                                                      inputs, resultType, body);
  if (failed(result))
    return emitLoweringError(
        op, "a dynamic result dimension is not dynamic in any operand");
  rewriter.replaceOp(op, *result);
  return success();
}

/// Whether `value` is a constant splat equal to 2.0.
bool isSplatTwo(Value value) {
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  auto floatAttr = dyn_cast<FloatAttr>(attr.getSplatValue<Attribute>());
  return floatAttr && floatAttr.getValueAsDouble() == 2.0;
}

template <typename OpTy, ScalarBinaryKind Kind>
struct BinaryOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = getSignlessType(
        cast<RankedTensorType>(op.getLhs().getType()).getElementType());
    bool isUnsigned = isUnsignedElementType(op.getLhs().getType());
    const TypeConverter &typeConverter = *this->getTypeConverter();
    // x^2 is x*x: cheaper and exact, and the common case in norms.
    bool square = Kind == ScalarBinaryKind::Pow && isSplatTwo(adaptor.getRhs());
    if (square)
      return lowerBroadcasting(
          op, adaptor.getLhs(), typeConverter, rewriter,
          [](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return arith::MulFOp::create(b, loc, args[0], args[0]);
          });

    return lowerBroadcasting(
        op, {adaptor.getLhs(), adaptor.getRhs()}, typeConverter, rewriter,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (Kind != ScalarBinaryKind::Pow || !isa<FloatType>(elementType))
            return createScalarBinary(b, loc, Kind, args[0], args[1],
                                      isUnsigned);
          // pow computes in f32 for narrower floats.
          Type computeType = getComputeType(elementType);
          Value lhs = createScalarCast(b, loc, args[0], computeType);
          Value rhs = createScalarCast(b, loc, args[1], computeType);
          Value result = createScalarBinary(b, loc, Kind, lhs, rhs);
          return createScalarCast(b, loc, result, elementType);
        });
  }
};

/// Logical ops on i1 and bitwise ops on integers: one arith op on the
/// signless operands.
template <typename OpTy, typename ArithOpTy>
struct LogicalOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerBroadcasting(
        op, {adaptor.getLhs(), adaptor.getRhs()}, *this->getTypeConverter(),
        rewriter, [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return ArithOpTy::create(b, loc, args[0], args[1]);
        });
  }
};

/// `x << amount` or `x >> amount` with ONNX BitShift's reading of the
/// amount: unsigned, and at least the bit width shifts every bit out (a
/// signed right shift then fills with the sign bit).
Value createScalarShift(OpBuilder &b, Location loc, Value x, Value amount,
                        bool left, bool isUnsigned) {
  Type type = x.getType();
  Value lastBit = createScalarConstant(
      b, loc, type, static_cast<double>(type.getIntOrFloatBitWidth() - 1));
  if (!left && !isUnsigned)
    return arith::ShRSIOp::create(
        b, loc, x, arith::MinUIOp::create(b, loc, amount, lastBit));
  Value inRange =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, amount, lastBit);
  Value shifted = left ? arith::ShLIOp::create(b, loc, x, amount).getResult()
                       : arith::ShRUIOp::create(b, loc, x, amount).getResult();
  return arith::SelectOp::create(b, loc, inRange, shifted,
                                 createScalarConstant(b, loc, type, 0.0));
}

template <typename OpTy, bool Left>
struct ShiftOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool isUnsigned = isUnsignedElementType(op.getLhs().getType());
    return lowerBroadcasting(
        op, {adaptor.getLhs(), adaptor.getRhs()}, *this->getTypeConverter(),
        rewriter, [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return createScalarShift(b, loc, args[0], args[1], Left, isUnsigned);
        });
  }
};

ScalarCmpKind getCmpKind(mllm::CmpPredicate predicate) {
  switch (predicate) {
  case mllm::CmpPredicate::eq:
    return ScalarCmpKind::Eq;
  case mllm::CmpPredicate::ne:
    return ScalarCmpKind::Ne;
  case mllm::CmpPredicate::lt:
    return ScalarCmpKind::Lt;
  case mllm::CmpPredicate::le:
    return ScalarCmpKind::Le;
  case mllm::CmpPredicate::gt:
    return ScalarCmpKind::Gt;
  case mllm::CmpPredicate::ge:
    return ScalarCmpKind::Ge;
  }
  llvm_unreachable("unknown mllm.cmp predicate");
}

struct CmpOpLowering : OpConversionPattern<mllm::CmpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::CmpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ScalarCmpKind kind = getCmpKind(op.getPredicate());
    bool isUnsigned = isUnsignedElementType(op.getLhs().getType());
    return lowerBroadcasting(
        op, {adaptor.getLhs(), adaptor.getRhs()}, *getTypeConverter(), rewriter,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return createScalarCmp(b, loc, kind, args[0], args[1], isUnsigned);
        });
  }
};

struct SelectOpLowering : OpConversionPattern<mllm::SelectOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerBroadcasting(
        op,
        {adaptor.getCondition(), adaptor.getTrueValue(),
         adaptor.getFalseValue()},
        *getTypeConverter(), rewriter,
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
  }
};

} // namespace

void populateMllmElementwiseToLinalgPatterns(const TypeConverter &typeConverter,
                                             RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<BinaryOpLowering<mllm::AddOp, ScalarBinaryKind::Add>,
               BinaryOpLowering<mllm::SubOp, ScalarBinaryKind::Sub>,
               BinaryOpLowering<mllm::MulOp, ScalarBinaryKind::Mul>,
               BinaryOpLowering<mllm::DivOp, ScalarBinaryKind::Div>,
               BinaryOpLowering<mllm::RemOp, ScalarBinaryKind::Rem>,
               BinaryOpLowering<mllm::PowOp, ScalarBinaryKind::Pow>,
               BinaryOpLowering<mllm::MaxOp, ScalarBinaryKind::Max>,
               BinaryOpLowering<mllm::MinOp, ScalarBinaryKind::Min>,
               LogicalOpLowering<mllm::AndOp, arith::AndIOp>,
               LogicalOpLowering<mllm::OrOp, arith::OrIOp>,
               LogicalOpLowering<mllm::BitwiseAndOp, arith::AndIOp>,
               LogicalOpLowering<mllm::BitwiseOrOp, arith::OrIOp>,
               LogicalOpLowering<mllm::BitwiseXorOp, arith::XOrIOp>,
               ShiftOpLowering<mllm::ShiftLeftOp, /*Left=*/true>,
               ShiftOpLowering<mllm::ShiftRightOp, /*Left=*/false>,
               CmpOpLowering, SelectOpLowering>(typeConverter, context);
}

} // namespace mllmc
