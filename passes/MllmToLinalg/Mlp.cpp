//===- Mlp.cpp - Decomposed MLP (plain and gated) -------------------------===//
//
//   plain: h = act(x . up + up_bias)
//   gated: h = act(x . gate + gate_bias) * (x . up + up_bias)
//   out   = h . down + down_bias
//
// The input folds into one [M, K] matrix; each projection is buildLinear on
// it (one linalg.matmul) and the activation (and the gate product) is one
// elementwise generic computed in f32 for f16/bf16. Intermediates keep the
// op's element type, as the exported graph does.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

Value createActivation(OpBuilder &b, Location loc, mllm::MlpActivation kind,
                       Value x) {
  switch (kind) {
  case mllm::MlpActivation::gelu:
    return createScalarGelu(b, loc, x, /*tanhApproximation=*/false);
  case mllm::MlpActivation::gelu_tanh:
    return createScalarGelu(b, loc, x, /*tanhApproximation=*/true);
  case mllm::MlpActivation::quick_gelu:
    return createScalarQuickGelu(b, loc, x);
  case mllm::MlpActivation::silu:
    return createScalarSilu(b, loc, x);
  case mllm::MlpActivation::relu:
    return createScalarRelu(b, loc, x);
  }
  llvm_unreachable("unknown mllm.mlp activation");
}

struct MlpOpLowering : OpConversionPattern<mllm::MlpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::MlpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
    Type computeType = getComputeType(elementType);
    mllm::MlpActivation activation = op.getActivation();

    // Check every projection before building any.
    if (failed(verifyLinearOperands(input, adaptor.getUpWeight(),
                                    adaptor.getUpBias(), elementType)) ||
        failed(verifyLinearOperands(input, adaptor.getDownWeight(),
                                    adaptor.getDownBias(), elementType)) ||
        (adaptor.getGateWeight() &&
         failed(verifyLinearOperands(input, adaptor.getGateWeight(),
                                     adaptor.getGateBias(), elementType))))
      return emitLoweringError(op, "expected input [..., K], weights [K, F] "
                                   "and [F, N], biases [F] and [N] of one "
                                   "float type");

    // Every projection works on the [M, K] matrix of the input.
    Value matrix = collapseToMatrix(rewriter, loc, input);
    Value up = *buildLinear(rewriter, loc, matrix, adaptor.getUpWeight(),
                            adaptor.getUpBias(), elementType);
    SmallVector<Value> inputs = {up};
    if (adaptor.getGateWeight())
      inputs.insert(inputs.begin(),
                    *buildLinear(rewriter, loc, matrix, adaptor.getGateWeight(),
                                 adaptor.getGateBias(), elementType));

    // act(first) [* second], elementwise over [M, F].
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    Value hidden = buildParallelGeneric(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, up), elementType,
        inputs, SmallVector<AffineMap>(inputs.size(), identity),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value h = createActivation(
              b, l, activation, createScalarCast(b, l, args[0], computeType));
          if (args.size() > 1)
            h = arith::MulFOp::create(
                b, l, h, createScalarCast(b, l, args[1], computeType));
          return createScalarCast(b, l, h, elementType);
        });

    Value down = *buildLinear(rewriter, loc, hidden, adaptor.getDownWeight(),
                              adaptor.getDownBias(), elementType);
    down = expandFromMatrix(rewriter, loc, down, input);
    rewriter.replaceOp(op, castToType(rewriter, loc, down, op.getType()));
    return success();
  }
};

} // namespace

void populateMllmMlpToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MlpOpLowering>(patterns.getContext());
}

} // namespace mllmc
