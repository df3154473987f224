//===- AttentionKernel.cpp - Attention for a target's fused kernel --------===//
//
// For targets with an attention kernel of their own (the GPU targets' one
// cooperative kernel per attention), mllm.attention becomes
// mllm.kernel.attention into a fresh destination instead of a linalg loop
// nest; the target lowers it after bufferization. What the kernel does not
// take stays with the flash-attention loop nest: dynamic shapes, f64, a key
// head dimension not a multiple of 4 or a value head dimension not a multiple
// of 32 (its vector accesses), head dimensions above 256 (its tiles in
// workgroup memory), and fewer query rows than `minQueries` (a decode step:
// the loop nest splits its keys across threads instead).
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/MllmToLinalg.h"

#include "dialects/mllm/IR/MllmKernelOps.h"
#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// The largest head dimension whose tiles the kernel keeps in workgroup
/// memory.
constexpr int64_t kMaxHeadDim = 256;

struct AttentionKernelLowering : OpConversionPattern<mllm::AttentionOp> {
  AttentionKernelLowering(MLIRContext *context, int64_t minQueries)
      : OpConversionPattern(context, /*benefit=*/3), minQueries(minQueries) {}

  LogicalResult
  matchAndRewrite(mllm::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = [](Value v) { return cast<RankedTensorType>(v.getType()); };
    for (Value operand : adaptor.getOperands())
      if (!type(operand).hasStaticShape())
        return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Type element = type(adaptor.getQuery()).getElementType();
    if (!element.isF32() && !element.isF16() && !element.isBF16())
      return rewriter.notifyMatchFailure(op, "not f32, f16 or bf16");
    if (type(adaptor.getQuery()).getRank() != 4 ||
        type(adaptor.getValue()).getRank() != 4)
      return rewriter.notifyMatchFailure(op, "not 4-D");
    int64_t queries = type(adaptor.getQuery()).getDimSize(2);
    int64_t headDim = type(adaptor.getQuery()).getDimSize(3);
    int64_t valueDim = type(adaptor.getValue()).getDimSize(3);
    if (queries < minQueries)
      return rewriter.notifyMatchFailure(op, "too few query rows");
    if (headDim % 4 || valueDim % 32 || headDim > kMaxHeadDim ||
        valueDim > kMaxHeadDim)
      return rewriter.notifyMatchFailure(op, "head dimensions the kernel's "
                                             "tiles do not take");
    RankedTensorType resultType = type(op.getResult());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                         resultType.getShape(), element);
    auto kernel = mllm::KernelAttentionOp::create(
        rewriter, op.getLoc(), TypeRange{resultType}, adaptor.getQuery(),
        adaptor.getKey(), adaptor.getValue(), adaptor.getMask(), init,
        op.getScaleAttr(), op.getCausalAttr(), op.getNumHeadsAttr(),
        op.getNumKvHeadsAttr());
    rewriter.replaceOp(op, kernel.getResult());
    return success();
  }

private:
  int64_t minQueries;
};

} // namespace

void populateMllmAttentionKernelPatterns(RewritePatternSet &patterns,
                                         int64_t minQueries) {
  patterns.add<AttentionKernelLowering>(patterns.getContext(), minQueries);
}

} // namespace mllmc
