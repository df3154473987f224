//===- Unary.cpp - Elementwise unary ops, activations and cast ------------===//
//
// Each op becomes one elementwise linalg.generic. Transcendental functions
// and activations compute in f32 for f16/bf16 and round back once.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// A scalar function from an element to its result.
using ScalarFn = Value (*)(OpBuilder &, Location, Value);

/// Replaces `op` with a generic applying `fn` to every element of `input`.
/// With `inComputeType`, floats narrower than f32 are extended first and the
/// result is truncated back.
LogicalResult
lowerUnary(Operation *op, Value input, ConversionPatternRewriter &rewriter,
           bool inComputeType,
           llvm::function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto resultType =
      cast<RankedTensorType>(getSignlessType(op->getResult(0).getType()));
  Type elementType = resultType.getElementType();
  Type computeType = inComputeType ? getComputeType(elementType) : elementType;
  FailureOr<Value> result = buildBroadcastElementwise(
      rewriter, op->getLoc(), input, resultType,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value x = createScalarCast(b, loc, args[0], computeType);
        return createScalarCast(b, loc, fn(b, loc, x), elementType);
      });
  if (failed(result))
    return emitLoweringError(op, "cannot size the dynamic result dimensions");
  rewriter.replaceOp(op, *result);
  return success();
}

Value neg(OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(
      b, loc, createScalarConstant(b, loc, x.getType(), 0.0), x);
}

Value absolute(OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  return math::AbsIOp::create(b, loc, x);
}

Value reciprocal(OpBuilder &b, Location loc, Value x) {
  return arith::DivFOp::create(
      b, loc, createScalarConstant(b, loc, x.getType(), 1.0), x);
}

/// `~x`: logical not on i1, bitwise not on integers.
Value bitwiseNot(OpBuilder &b, Location loc, Value x) {
  Value allOnes = arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(x.getType(),
                       APInt::getAllOnes(x.getType().getIntOrFloatBitWidth())));
  return arith::XOrIOp::create(b, loc, x, allOnes);
}

/// A unary op computed by `Fn`; `InComputeType` as in lowerUnary.
template <typename OpTy, ScalarFn Fn, bool InComputeType = true>
struct UnaryOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // abs and relu of unsigned integers are the identity.
    if (isUnsignedElementType(op.getInput().getType()) &&
        (Fn == absolute || Fn == createScalarRelu)) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    return lowerUnary(op, adaptor.getInput(), rewriter, InComputeType, Fn);
  }
};

template <typename MathOpTy> Value mathOp(OpBuilder &b, Location loc, Value x) {
  return MathOpTy::create(b, loc, x);
}

struct GeluOpLowering : OpConversionPattern<mllm::GeluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool tanhApproximation =
        op.getApproximate() == mllm::GeluApproximation::tanh;
    return lowerUnary(op, adaptor.getInput(), rewriter, /*inComputeType=*/true,
                      [&](OpBuilder &b, Location loc, Value x) {
                        return createScalarGelu(b, loc, x, tanhApproximation);
                      });
  }
};

struct CastOpLowering : OpConversionPattern<mllm::CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result =
        buildElementTypeCast(rewriter, op.getLoc(), adaptor.getInput(),
                             getSignlessType(resultType.getElementType()),
                             isUnsignedElementType(op.getInput().getType()),
                             isUnsignedElementType(resultType));
    if (!result)
      return emitLoweringError(op, "unsupported element type conversion");
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateMllmUnaryToLinalgPatterns(const TypeConverter &typeConverter,
                                       RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<
      UnaryOpLowering<mllm::NegOp, neg, /*InComputeType=*/false>,
      UnaryOpLowering<mllm::AbsOp, absolute, /*InComputeType=*/false>,
      UnaryOpLowering<mllm::ReluOp, createScalarRelu, /*InComputeType=*/false>,
      UnaryOpLowering<mllm::NotOp, bitwiseNot, /*InComputeType=*/false>,
      UnaryOpLowering<mllm::BitwiseNotOp, bitwiseNot, /*InComputeType=*/false>,
      UnaryOpLowering<mllm::ExpOp, mathOp<math::ExpOp>>,
      UnaryOpLowering<mllm::LogOp, mathOp<math::LogOp>>,
      UnaryOpLowering<mllm::SqrtOp, mathOp<math::SqrtOp>>,
      UnaryOpLowering<mllm::RsqrtOp, mathOp<math::RsqrtOp>>,
      UnaryOpLowering<mllm::ErfOp, mathOp<math::ErfOp>>,
      UnaryOpLowering<mllm::TanhOp, mathOp<math::TanhOp>>,
      UnaryOpLowering<mllm::CosOp, mathOp<math::CosOp>>,
      UnaryOpLowering<mllm::SinOp, mathOp<math::SinOp>>,
      UnaryOpLowering<mllm::TanOp, mathOp<math::TanOp>>,
      UnaryOpLowering<mllm::AsinOp, mathOp<math::AsinOp>>,
      UnaryOpLowering<mllm::AcosOp, mathOp<math::AcosOp>>,
      UnaryOpLowering<mllm::AtanOp, mathOp<math::AtanOp>>,
      UnaryOpLowering<mllm::SinhOp, mathOp<math::SinhOp>>,
      UnaryOpLowering<mllm::CoshOp, mathOp<math::CoshOp>>,
      UnaryOpLowering<mllm::AsinhOp, mathOp<math::AsinhOp>>,
      UnaryOpLowering<mllm::AcoshOp, mathOp<math::AcoshOp>>,
      UnaryOpLowering<mllm::AtanhOp, mathOp<math::AtanhOp>>,
      UnaryOpLowering<mllm::FloorOp, mathOp<math::FloorOp>>,
      UnaryOpLowering<mllm::CeilOp, mathOp<math::CeilOp>>,
      UnaryOpLowering<mllm::RoundOp, mathOp<math::RoundEvenOp>>,
      UnaryOpLowering<mllm::ReciprocalOp, reciprocal>,
      UnaryOpLowering<mllm::SigmoidOp, createScalarSigmoid>,
      UnaryOpLowering<mllm::QuickGeluOp, createScalarQuickGelu>,
      UnaryOpLowering<mllm::SiluOp, createScalarSilu>, GeluOpLowering,
      CastOpLowering>(typeConverter, context);
}

} // namespace mllmc
