//===- Attention.cpp - Decomposed scaled dot-product attention ------------===//
//
// The reference lowering of mllm.attention, for correctness on every target;
// the flash-attention loop nest (FlashAttention.cpp) takes precedence unless
// convert-mllm-to-linalg{flash-attention=false} asks for this one.
//
//   scores[b,h,i,j] = sum_d Q[b,h,i,d] * K[b,h/g,j,d]     (contraction)
//   scores = scores * scale, + mask / select, causal -inf  (elementwise)
//   probs = softmax(scores, axis 3)                        (buildSoftmax)
//   out[b,h,i,e] = sum_j probs[b,h,i,j] * V[b,h/g,j,e]     (contraction)
//
// Grouped-query attention reads kv head h / g through a floordiv in the
// indexing maps of K and V, so K and V are never repeated in memory. Scores
// and probabilities are kept in f32 for f16/bf16 inputs.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// `sum_k lhs[b, h, i, k] * rhs[b, h / groups, k, j]` (rhsTransposed:
/// `rhs[b, h / groups, j, k]`) into a zero-filled [B, H, I, J] tensor of
/// `accType`; `sizes` are B, H, I, J.
Value buildHeadContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                           bool rhsTransposed, int64_t groups,
                           ArrayRef<OpFoldResult> sizes, Type accType) {
  MLIRContext *context = b.getContext();
  AffineExpr batch = getAffineDimExpr(0, context);
  AffineExpr head = getAffineDimExpr(1, context);
  AffineExpr row = getAffineDimExpr(2, context);
  AffineExpr col = getAffineDimExpr(3, context);
  AffineExpr red = getAffineDimExpr(4, context);
  AffineExpr kvHead = groups == 1 ? head : head.floorDiv(groups);
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(5, 0, exprs, context);
  };
  SmallVector<AffineMap> maps = {map({batch, head, row, red}),
                                 rhsTransposed ? map({batch, kvHead, col, red})
                                               : map({batch, kvHead, red, col}),
                                 map({batch, head, row, col})};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value acc = createFilledTensor(b, loc, sizes, b.getZeroAttr(accType));
  return linalg::GenericOp::create(
             b, loc, acc.getType(), ValueRange{lhs, rhs}, acc, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value lhs = createScalarCast(nb, nl, args[0], accType);
               Value rhs = createScalarCast(nb, nl, args[1], accType);
               Value product = arith::MulFOp::create(nb, nl, lhs, rhs);
               Value sum = arith::AddFOp::create(nb, nl, args[2], product);
               linalg::YieldOp::create(nb, nl, sum);
             })
      .getResult(0);
}

struct AttentionOpLowering : OpConversionPattern<mllm::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value query = adaptor.getQuery();
    Value key = adaptor.getKey();
    Value value = adaptor.getValue();
    Value mask = adaptor.getMask();
    auto queryType = cast<RankedTensorType>(query.getType());
    if (queryType.getRank() != 4 ||
        cast<RankedTensorType>(key.getType()).getRank() != 4 ||
        cast<RankedTensorType>(value.getType()).getRank() != 4)
      return emitLoweringError(op, "query, key and value must be rank 4");
    int64_t numHeads = op.getNumHeads(), numKvHeads = op.getNumKvHeads();
    if (numKvHeads <= 0 || numHeads % numKvHeads != 0)
      return emitLoweringError(
          op, "num_heads must be a positive multiple of num_kv_heads");
    int64_t groups = numHeads / numKvHeads;
    Type elementType = queryType.getElementType();
    Type accType = getComputeType(elementType);

    // [B, Hq, Sq, Skv] scores in the accumulator type.
    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, query, 0);
    OpFoldResult heads = tensor::getMixedSize(rewriter, loc, query, 1);
    OpFoldResult queryLen = tensor::getMixedSize(rewriter, loc, query, 2);
    OpFoldResult keyLen = tensor::getMixedSize(rewriter, loc, key, 2);
    OpFoldResult valueDim = tensor::getMixedSize(rewriter, loc, value, 3);
    SmallVector<OpFoldResult> scoreSizes = {batch, heads, queryLen, keyLen};
    Value scores =
        buildHeadContraction(rewriter, loc, query, key, /*rhsTransposed=*/true,
                             groups, scoreSizes, accType);

    // Scale, mask and causal mask in one elementwise generic.
    auto scoresType = cast<RankedTensorType>(scores.getType());
    SmallVector<Value> inputs = {scores};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(4)};
    if (mask) {
      auto maskType = cast<RankedTensorType>(mask.getType());
      if (maskType.getRank() > 4)
        return emitLoweringError(op, "mask has rank above 4");
      inputs.push_back(mask);
      maps.push_back(getBroadcastIndexingMap(
          maskType.getShape(), scoresType.getShape(), getContext()));
    }
    Value causalOffset;
    if (op.getCausal()) {
      Value keyLenValue =
          getValueOrCreateConstantIndexOp(rewriter, loc, keyLen);
      Value queryLenValue =
          getValueOrCreateConstantIndexOp(rewriter, loc, queryLen);
      causalOffset =
          arith::SubIOp::create(rewriter, loc, keyLenValue, queryLenValue);
    }
    float scale = op.getScale();
    Value masked = buildParallelGeneric(
        rewriter, loc, scoreSizes, accType, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value score = arith::MulFOp::create(
              b, l, args[0], createScalarConstant(b, l, accType, scale));
          auto minusInf = [&]() -> Value {
            return arith::ConstantOp::create(b, l, getLowestValueAttr(accType));
          };
          if (mask && args[1].getType().isInteger(1))
            score = arith::SelectOp::create(b, l, args[1], score, minusInf());
          else if (mask)
            score = arith::AddFOp::create(
                b, l, score, createScalarCast(b, l, args[1], accType));
          if (causalOffset) {
            // Bottom-right aligned: row i sees columns j <= i + (Skv - Sq).
            Value i = linalg::IndexOp::create(b, l, 2);
            Value j = linalg::IndexOp::create(b, l, 3);
            Value limit = arith::AddIOp::create(b, l, i, causalOffset);
            Value future = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::sgt, j, limit);
            score = arith::SelectOp::create(b, l, future, minusInf(), score);
          }
          return score;
        });

    Value probs = buildSoftmax(rewriter, loc, masked, /*axis=*/3, accType,
                               /*zeroMaskedRows=*/true);
    Value out =
        buildHeadContraction(rewriter, loc, probs, value,
                             /*rhsTransposed=*/false, groups,
                             {batch, heads, queryLen, valueDim}, accType);
    out = buildElementTypeCast(rewriter, loc, out, elementType);
    rewriter.replaceOp(op, castToType(rewriter, loc, out, op.getType()));
    return success();
  }
};

} // namespace

void populateMllmAttentionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<AttentionOpLowering>(patterns.getContext());
}

} // namespace mllmc
