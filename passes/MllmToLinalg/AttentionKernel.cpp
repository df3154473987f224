//===- AttentionKernel.cpp - Attention for a target's fused kernel --------===//
//
// For targets with an attention kernel of their own (the GPU targets' one
// cooperative kernel per attention), mllm.attention becomes
// mllm.kernel.attention into a fresh destination instead of a linalg loop
// nest; the target lowers it after bufferization. An attention with fewer
// query rows than `minQueries` (a decode step) becomes
// mllm.kernel.attention_partial instead: its keys split into ranges so that
// the kernel has some 256 workgroups (batch x kv heads x ranges; the query
// rows of the heads sharing a kv head are one tile), followed by the flash
// decoding combine in linalg. What the kernel does not take stays with the
// flash-attention loop nest: dynamic shapes, f64, a key head dimension not a
// multiple of 4 or a value head dimension not a multiple of 32 (its vector
// accesses), head dimensions above 256 (its tiles in workgroup memory), and
// a partial tile of more than 64 query rows.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/MllmToLinalg.h"

#include "dialects/mllm/IR/MllmKernelOps.h"
#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>

using namespace mlir;

namespace mllmc {
namespace {

/// The largest head dimension whose tiles the kernel keeps in workgroup
/// memory.
constexpr int64_t kMaxHeadDim = 256;
/// The most query rows of one kernel tile.
constexpr int64_t kMaxTileRows = 64;
/// Workgroups the key splits of a decode step aim for.
constexpr int64_t kTargetWorkgroups = 256;
/// Keys per step of the kernel: a split has at least that many.
constexpr int64_t kKernelKeyTile = 32;

/// Whether the kernel takes `op` (adaptor operands `operands`); says why not
/// through `rewriter`.
LogicalResult checkKernelOperands(mllm::AttentionOp op, ValueRange operands,
                                  PatternRewriter &rewriter) {
  auto type = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  for (Value operand : operands)
    if (!type(operand).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
  Value query = operands[0], value = operands[2];
  Type element = type(query).getElementType();
  if (!element.isF32() && !element.isF16() && !element.isBF16())
    return rewriter.notifyMatchFailure(op, "not f32, f16 or bf16");
  if (type(query).getRank() != 4 || type(value).getRank() != 4)
    return rewriter.notifyMatchFailure(op, "not 4-D");
  int64_t headDim = type(query).getDimSize(3);
  int64_t valueDim = type(value).getDimSize(3);
  if (headDim % 4 || valueDim % 32 || headDim > kMaxHeadDim ||
      valueDim > kMaxHeadDim)
    return rewriter.notifyMatchFailure(op, "head dimensions the kernel's "
                                           "tiles do not take");
  return success();
}

struct AttentionKernelLowering : OpConversionPattern<mllm::AttentionOp> {
  AttentionKernelLowering(MLIRContext *context, int64_t minQueries)
      : OpConversionPattern(context, /*benefit=*/3), minQueries(minQueries) {}

  LogicalResult
  matchAndRewrite(mllm::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = [](Value v) { return cast<RankedTensorType>(v.getType()); };
    if (failed(checkKernelOperands(op, adaptor.getOperands(), rewriter)))
      return failure();
    if (type(adaptor.getQuery()).getDimSize(2) < minQueries)
      return rewriter.notifyMatchFailure(op, "too few query rows");
    Type element = type(adaptor.getQuery()).getElementType();
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

/// An attention with fewer than `minQueries` query rows as its key splits'
/// online softmax states (mllm.kernel.attention_partial) and their combine.
struct AttentionPartialKernelLowering : OpConversionPattern<mllm::AttentionOp> {
  AttentionPartialKernelLowering(MLIRContext *context, int64_t minQueries)
      : OpConversionPattern(context, /*benefit=*/3), minQueries(minQueries) {}

  LogicalResult
  matchAndRewrite(mllm::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkKernelOperands(op, adaptor.getOperands(), rewriter)))
      return failure();
    ArrayRef<int64_t> query =
        cast<RankedTensorType>(adaptor.getQuery().getType()).getShape();
    int64_t keys =
        cast<RankedTensorType>(adaptor.getKey().getType()).getDimSize(2);
    int64_t groups = op.getNumHeads() / op.getNumKvHeads();
    if (query[2] >= minQueries)
      return rewriter.notifyMatchFailure(op, "enough query rows for a tile");
    // At head dimensions above 128, 16 rows keep the tiles within the 64 KiB
    // of workgroup memory an AMD GPU has.
    int64_t maxRows =
        std::max(query[3], cast<RankedTensorType>(adaptor.getValue().getType())
                               .getDimSize(3)) > 128
            ? kMaxTileRows / 4
            : kMaxTileRows;
    if (query[2] * groups > maxRows || keys == 0)
      return rewriter.notifyMatchFailure(
          op, "more query rows per kv head than a kernel tile holds");
    // Ranges of whole key tiles, as many as fill the target's workgroups.
    int64_t workgroups = query[0] * op.getNumKvHeads();
    int64_t splits =
        std::clamp<int64_t>(llvm::divideCeil(kTargetWorkgroups, workgroups), 1,
                            llvm::divideCeil(keys, kKernelKeyTile));
    int64_t chunk =
        llvm::alignTo(llvm::divideCeil(keys, splits), kKernelKeyTile);
    splits = llvm::divideCeil(keys, chunk);

    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type();
    SmallVector<int64_t> statistics = {query[0], query[1], query[2], splits};
    SmallVector<int64_t> accumulators = statistics;
    accumulators.push_back(
        cast<RankedTensorType>(adaptor.getValue().getType()).getDimSize(3));
    Value max = tensor::EmptyOp::create(rewriter, loc, statistics, f32);
    Value sum = tensor::EmptyOp::create(rewriter, loc, statistics, f32);
    Value acc = tensor::EmptyOp::create(rewriter, loc, accumulators, f32);
    auto partial = mllm::KernelAttentionPartialOp::create(
        rewriter, loc, TypeRange{max.getType(), sum.getType(), acc.getType()},
        adaptor.getQuery(), adaptor.getKey(), adaptor.getValue(),
        adaptor.getMask(), max, sum, acc, op.getScaleAttr(), op.getCausalAttr(),
        op.getNumHeadsAttr(), op.getNumKvHeadsAttr());
    rewriter.replaceOp(op, buildFlashAttentionCombine(
                               rewriter, op, adaptor.getQuery(),
                               partial.getResult()[0], partial.getResult()[1],
                               partial.getResult()[2]));
    return success();
  }

private:
  int64_t minQueries;
};

} // namespace

void populateMllmAttentionKernelPatterns(RewritePatternSet &patterns,
                                         int64_t minQueries) {
  patterns.add<AttentionKernelLowering, AttentionPartialKernelLowering>(
      patterns.getContext(), minQueries);
}

} // namespace mllmc
