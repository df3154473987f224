//===- Cumsum.cpp - cumsum and cumprod ------------------------------------===//
//
// cumsum and cumprod are scans: one scalar loop per result dimension, in
// row-major order, so that the position before the current one along the
// axis (after it, for reverse) is written before it is read back: result[j]
// = result[j - 1] (+ or *) input[j] (input[j - 1] when exclusive, with
// result[0] the identity, 0 or 1). The result is written in place with
// tensor.insert, so the dispatch needs no temporary buffer. O(n) per element
// row; sums and products accumulate in the element type.
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

/// `combine` is Add (cumsum) or Mul (cumprod).
template <typename OpTy, ScalarBinaryKind combine>
struct CumulativeOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    bool exclusive = op.getExclusive();
    bool reverse = op.getReverse();

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value result = tensor::EmptyOp::create(rewriter, loc, sizes, elementType);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(rank, zero), steps(rank, one), ubs;
    for (OpFoldResult size : sizes)
      ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));
    Value last = arith::SubIOp::create(rewriter, loc, ubs[axis], one);

    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{result},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange results) -> scf::ValueVector {
          // Step j of the scan writes position p and reads p's predecessor
          // (p itself at the first step, where the value is not used).
          Value step = ivs[axis];
          Value isFirst =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, step, zero);
          Value p = reverse ? arith::SubIOp::create(b, l, last, step) : step;
          Value moved = reverse
                            ? arith::AddIOp::create(b, l, p, one).getResult()
                            : arith::SubIOp::create(b, l, p, one).getResult();
          SmallVector<Value> position(ivs), previous(ivs);
          position[axis] = p;
          previous[axis] = arith::SelectOp::create(b, l, isFirst, p, moved);

          Value acc = tensor::ExtractOp::create(b, l, results[0], previous);
          Value x = tensor::ExtractOp::create(b, l, input,
                                              exclusive ? previous : position);
          Value next = createScalarBinary(b, l, combine, acc, x);
          double identity = combine == ScalarBinaryKind::Mul ? 1 : 0;
          Value first = exclusive
                            ? createScalarConstant(b, l, elementType, identity)
                            : tensor::ExtractOp::create(b, l, input, position)
                                  .getResult();
          Value value = arith::SelectOp::create(b, l, isFirst, first, next);
          return {tensor::InsertOp::create(b, l, value, results[0], position)};
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, nest.results[0],
                                      getSignlessType(op.getType())));
    return success();
  }
};

} // namespace

void populateMllmCumsumToLinalgPatterns(const TypeConverter &typeConverter,
                                        RewritePatternSet &patterns) {
  patterns.add<CumulativeOpLowering<mllm::CumsumOp, ScalarBinaryKind::Add>,
               CumulativeOpLowering<mllm::CumprodOp, ScalarBinaryKind::Mul>>(
      typeConverter, patterns.getContext());
}

} // namespace mllmc
