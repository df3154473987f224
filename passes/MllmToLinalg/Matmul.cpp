//===- Matmul.cpp - matmul and linear -------------------------------------===//
//
// Thin patterns over buildMatmul/buildLinear (MatmulBuilders.cpp), which pick
// linalg.matmul, linalg.batch_matmul or a contraction generic.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

struct MatmulOpLowering : OpConversionPattern<mllm::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> result =
        buildMatmul(rewriter, op.getLoc(), adaptor.getLhs(), adaptor.getRhs(),
                    cast<RankedTensorType>(getSignlessType(op.getType())));
    if (failed(result))
      return emitLoweringError(
          op, "operands must be non-scalar tensors of one numeric type");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct LinearOpLowering : OpConversionPattern<mllm::LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> result = buildLinear(
        rewriter, op.getLoc(), adaptor.getInput(), adaptor.getWeight(),
        adaptor.getBias(), getSignlessType(getElementTypeOrSelf(op.getType())));
    if (failed(result))
      return emitLoweringError(op, "expected input [..., K], weight [K, N] "
                                   "and bias [N] of one numeric type");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace

void populateMllmMatmulToLinalgPatterns(const TypeConverter &typeConverter,
                                        RewritePatternSet &patterns) {
  patterns.add<MatmulOpLowering, LinearOpLowering>(typeConverter,
                                                   patterns.getContext());
}

} // namespace mllmc
