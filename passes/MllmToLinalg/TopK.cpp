//===- TopK.cpp - top_k ---------------------------------------------------===//
//
// top_k is k passes of an arg-max-style selection per row, each excluding
// what earlier passes took: pass s takes the best element that comes after
// the one pass s - 1 took in the result order (value first, then the lower
// index on ties), which it reads back from the result. The passes are
// scalar scf loops that write the results in place with tensor.insert, so
// the dispatch needs no temporary buffer. O(k * n) per row for an axis of
// size n.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

struct TopKOpLowering : OpConversionPattern<mllm::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    Type i64 = rewriter.getI64Type();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    bool largest = op.getLargest();

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, sizes[axis]);
    SmallVector<OpFoldResult> resultSizes(sizes);
    resultSizes[axis] = rewriter.getIndexAttr(op.getK());
    Value values =
        tensor::EmptyOp::create(rewriter, loc, resultSizes, elementType);
    Value indices = tensor::EmptyOp::create(rewriter, loc, resultSizes, i64);

    // One loop per result dimension: the row dims and, at `axis`, the slot.
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(rank, zero), steps(rank, one), ubs;
    for (OpFoldResult size : resultSizes)
      ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));

    ScalarCmpKind better = largest ? ScalarCmpKind::Gt : ScalarCmpKind::Lt;
    bool isUnsigned = isUnsignedElementType(op.getInput().getType());
    ScalarCmpKind after = largest ? ScalarCmpKind::Lt : ScalarCmpKind::Gt;
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{values, indices},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange results) -> scf::ValueVector {
          // What the previous slot took (slot 0 excludes nothing).
          Value slot = ivs[axis];
          Value isFirst =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, slot, zero);
          SmallVector<Value> previous(ivs);
          previous[axis] = arith::SelectOp::create(
              b, l, isFirst, zero, arith::SubIOp::create(b, l, slot, one));
          Value prevValue =
              tensor::ExtractOp::create(b, l, results[0], previous);
          Value prevIndex =
              tensor::ExtractOp::create(b, l, results[1], previous);

          // The best element after it, scanning the row in index order.
          Value none = arith::ConstantIntOp::create(b, l, i64, -1);
          Value init = createScalarConstant(b, l, elementType, 0);
          auto scan = scf::ForOp::create(
              b, l, zero, axisSize, one, ValueRange{init, none},
              [&](OpBuilder &sb, Location sl, Value iv, ValueRange best) {
                SmallVector<Value> position(ivs);
                position[axis] = iv;
                Value x = tensor::ExtractOp::create(sb, sl, input, position);
                Value index = arith::IndexCastOp::create(sb, sl, i64, iv);
                Value tied = arith::AndIOp::create(
                    sb, sl,
                    createScalarCmp(sb, sl, ScalarCmpKind::Eq, x, prevValue,
                                    isUnsigned),
                    arith::CmpIOp::create(sb, sl, arith::CmpIPredicate::sgt,
                                          index, prevIndex));
                Value eligible = arith::OrIOp::create(
                    sb, sl, isFirst,
                    arith::OrIOp::create(sb, sl,
                                         createScalarCmp(sb, sl, after, x,
                                                         prevValue, isUnsigned),
                                         tied));
                Value improves = arith::OrIOp::create(
                    sb, sl,
                    arith::CmpIOp::create(sb, sl, arith::CmpIPredicate::eq,
                                          best[1], none),
                    createScalarCmp(sb, sl, better, x, best[0], isUnsigned));
                Value take = arith::AndIOp::create(sb, sl, eligible, improves);
                scf::YieldOp::create(
                    sb, sl,
                    ValueRange{
                        arith::SelectOp::create(sb, sl, take, x, best[0]),
                        arith::SelectOp::create(sb, sl, take, index, best[1])});
              });
          return {tensor::InsertOp::create(b, l, scan.getResult(0), results[0],
                                           ivs),
                  tensor::InsertOp::create(b, l, scan.getResult(1), results[1],
                                           ivs)};
        });
    rewriter.replaceOp(op,
                       {castToType(rewriter, loc, nest.results[0],
                                   getSignlessType(op.getValues().getType())),
                        castToType(rewriter, loc, nest.results[1],
                                   op.getIndices().getType())});
    return success();
  }
};

} // namespace

void populateMllmTopKToLinalgPatterns(const TypeConverter &typeConverter,
                                      RewritePatternSet &patterns) {
  patterns.add<TopKOpLowering>(typeConverter, patterns.getContext());
}

} // namespace mllmc
