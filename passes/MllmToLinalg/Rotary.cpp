//===- Rotary.cpp - rotary_embedding --------------------------------------===//
//
// rotary_embedding is one linalg.generic over the result. Each element reads
// its own input value through the indexing map and, with tensor.extract, its
// pair partner (i +/- R/2, or the neighbour when interleaved) and the cosine
// and sine at its position (from position_ids or the token index). Elements
// past the rotated size R copy through. Narrow floats compute in f32.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/LoweringError.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// Index values computed once, outside the generic.
struct RotarySizes {
  Value headDim;         ///< D
  Value rotaryDim;       ///< R
  Value half;            ///< R / 2
  Value lastPosition;    ///< P - 1 (with position_ids)
  Value lastPositionRow; ///< position_ids.shape[0] - 1 (dynamic [?, S] ids)
};

struct RotaryEmbeddingOpLowering
    : OpConversionPattern<mllm::RotaryEmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::RotaryEmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value cos = adaptor.getCosCache();
    Value sin = adaptor.getSinCache();
    Value positions = adaptor.getPositionIds();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto cacheType = cast<RankedTensorType>(cos.getType());
    int64_t rank = inputType.getRank();
    int64_t numHeads = op.getNumHeads();
    if ((rank != 3 && rank != 4) || (rank == 3 && numHeads <= 0))
      return emitLoweringError(
          op, "needs a 4-D input, or a 3-D one with num_heads > 0");

    auto constant = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, value);
    };
    RotarySizes sizes;
    if (rank == 4)
      sizes.headDim = tensor::DimOp::create(rewriter, loc, input, 3);
    else
      sizes.headDim = arith::DivUIOp::create(
          rewriter, loc, tensor::DimOp::create(rewriter, loc, input, 2),
          constant(numHeads));
    sizes.rotaryDim = op.getRotaryEmbeddingDim() > 0
                          ? constant(op.getRotaryEmbeddingDim())
                          : sizes.headDim;
    sizes.half =
        arith::DivUIOp::create(rewriter, loc, sizes.rotaryDim, constant(2));
    if (positions) {
      sizes.lastPosition = arith::SubIOp::create(
          rewriter, loc, tensor::DimOp::create(rewriter, loc, cos, 0),
          constant(1));
      auto positionType = cast<RankedTensorType>(positions.getType());
      if (positionType.getRank() == 2 && positionType.isDynamicDim(0))
        sizes.lastPositionRow = arith::SubIOp::create(
            rewriter, loc, tensor::DimOp::create(rewriter, loc, positions, 0),
            constant(1));
    }

    Type elementType = inputType.getElementType();
    Type computeType = getComputeType(elementType);
    bool interleaved = op.getInterleaved();
    int64_t cacheRank = cacheType.getRank();
    MLIRContext *context = getContext();
    Value result = buildParallelGeneric(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, input), elementType,
        input, AffineMap::getMultiDimIdentityMap(rank, context),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          auto index = [&](int64_t value) -> Value {
            return arith::ConstantIndexOp::create(b, l, value);
          };
          SmallVector<Value> iv;
          for (int64_t d = 0; d < rank; ++d)
            iv.push_back(linalg::IndexOp::create(b, l, d));
          Value batch = iv[0];
          Value token = iv[rank == 4 ? 2 : 1];
          // The element's index i within its head, and where the head
          // starts in the last dimension (3-D input).
          Value i = iv[rank - 1], headStart;
          if (rank == 3) {
            i = arith::RemUIOp::create(b, l, iv[2], sizes.headDim);
            headStart = arith::SubIOp::create(b, l, iv[2], i);
          }
          Value rotated = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                                i, sizes.rotaryDim);
          // Elements that copy through compute as element 0 (in bounds).
          Value j = arith::SelectOp::create(b, l, rotated, i, index(0));

          // k: the cache column; first: whether the element is the first
          // of its pair (out = x c - x' s) or the second (x c + x' s).
          Value k, first, partner;
          if (interleaved) {
            k = arith::DivUIOp::create(b, l, j, index(2));
            Value odd = arith::RemUIOp::create(b, l, j, index(2));
            first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, odd,
                                          index(0));
            partner = arith::SelectOp::create(
                b, l, first, arith::AddIOp::create(b, l, j, index(1)),
                arith::SubIOp::create(b, l, j, index(1)));
          } else {
            first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, j,
                                          sizes.half);
            k = arith::SelectOp::create(
                b, l, first, j, arith::SubIOp::create(b, l, j, sizes.half));
            partner = arith::SelectOp::create(
                b, l, first, arith::AddIOp::create(b, l, j, sizes.half), k);
          }
          SmallVector<Value> partnerIndex(iv);
          partnerIndex.back() =
              rank == 3 ? arith::AddIOp::create(b, l, headStart, partner)
                        : partner;
          Value x = args[0];
          Value xPartner = tensor::ExtractOp::create(b, l, input, partnerIndex);

          SmallVector<Value> cacheIndex;
          if (positions) {
            auto positionType = cast<RankedTensorType>(positions.getType());
            Value position;
            if (positionType.getRank() == 1) {
              // An offset: the first token's position.
              position = arith::AddIOp::create(
                  b, l,
                  arith::IndexCastOp::create(
                      b, l, b.getIndexType(),
                      tensor::ExtractOp::create(b, l, positions, index(0))),
                  token);
            } else {
              Value row = batch;
              if (sizes.lastPositionRow)
                row =
                    arith::MinUIOp::create(b, l, batch, sizes.lastPositionRow);
              else if (positionType.getDimSize(0) == 1)
                row = index(0);
              position = arith::IndexCastOp::create(
                  b, l, b.getIndexType(),
                  tensor::ExtractOp::create(b, l, positions,
                                            ValueRange{row, token}));
            }
            // Out-of-range positions are unspecified; stay in bounds.
            position = arith::MaxSIOp::create(b, l, position, index(0));
            position =
                arith::MinSIOp::create(b, l, position, sizes.lastPosition);
            cacheIndex = {position, k};
          } else if (cacheRank == 3) {
            cacheIndex = {batch, token, k};
          } else {
            cacheIndex = {token, k};
          }
          Value c = tensor::ExtractOp::create(b, l, cos, cacheIndex);
          Value s = tensor::ExtractOp::create(b, l, sin, cacheIndex);

          auto widen = [&](Value v) {
            return createScalarCast(b, l, v, computeType);
          };
          Value xc = arith::MulFOp::create(b, l, widen(x), widen(c));
          Value ps = arith::MulFOp::create(b, l, widen(xPartner), widen(s));
          Value out = arith::SelectOp::create(
              b, l, first, arith::SubFOp::create(b, l, xc, ps),
              arith::AddFOp::create(b, l, xc, ps));
          out = createScalarCast(b, l, out, elementType);
          return arith::SelectOp::create(b, l, rotated, out, x);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void populateMllmRotaryToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<RotaryEmbeddingOpLowering>(patterns.getContext());
}

} // namespace mllmc
