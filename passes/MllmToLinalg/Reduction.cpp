//===- Reduction.cpp - reduce_mean/sum/max/min/prod -----------------------===//
//
// One linalg.generic reduction over the reduced dims (accumulating in f32 for
// f16/bf16 means, sums and products), then an elementwise generic that scales a
// mean, casts back and, with keepdims, writes the size-1 dims.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

enum class ReduceKind { Mean, Sum, Max, Min, Prod };

/// The scalar op that combines the accumulator with one element.
ScalarBinaryKind getCombiner(ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Mean:
  case ReduceKind::Sum:
    return ScalarBinaryKind::Add;
  case ReduceKind::Max:
    return ScalarBinaryKind::Max;
  case ReduceKind::Min:
    return ScalarBinaryKind::Min;
  case ReduceKind::Prod:
    return ScalarBinaryKind::Mul;
  }
  llvm_unreachable("unknown reduction kind");
}

/// The accumulator's initial value: the identity of the combiner, which is
/// also the result over an empty set (ONNX: 0, -inf, +inf, 1).
TypedAttr getInitialValue(ReduceKind kind, Type type, bool isUnsigned) {
  switch (kind) {
  case ReduceKind::Mean:
  case ReduceKind::Sum:
    return OpBuilder(type.getContext()).getZeroAttr(type);
  case ReduceKind::Max:
    return getLowestValueAttr(type, isUnsigned);
  case ReduceKind::Min:
    return getHighestValueAttr(type, isUnsigned);
  case ReduceKind::Prod:
    if (isa<FloatType>(type))
      return FloatAttr::get(type, 1.0);
    return IntegerAttr::get(type, 1);
  }
  llvm_unreachable("unknown reduction kind");
}

template <typename OpTy, ReduceKind kind>
struct ReduceOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(getSignlessType(op.getType()));
    bool isUnsigned = isUnsignedElementType(op.getInput().getType());
    int64_t rank = type.getRank();
    ArrayRef<int64_t> axes = op.getAxes();
    Type elementType = type.getElementType();
    // Max and min are exact in any type; sums and products accumulate wider.
    bool isExtreme = kind == ReduceKind::Max || kind == ReduceKind::Min;
    Type accType = isExtreme ? elementType : getComputeType(elementType);
    MLIRContext *context = rewriter.getContext();

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value acc = buildReductionGeneric(
        rewriter, loc, sizes, axes, getInitialValue(kind, accType, isUnsigned),
        input, rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = createScalarCast(b, l, args[0], accType);
          return createScalarBinary(b, l, getCombiner(kind), args[1], x,
                                    isUnsigned);
        });

    Value invCount;
    if (kind == ReduceKind::Mean) {
      SmallVector<OpFoldResult> counted;
      for (int64_t axis : axes)
        counted.push_back(sizes[axis]);
      invCount = createReciprocalCount(rewriter, loc, counted, accType);
    }

    // The result's iteration space: the input's with the reduced dims at
    // size 1 (keepdims) or dropped.
    SmallVector<OpFoldResult> resultSizes;
    for (auto [dim, size] : llvm::enumerate(sizes)) {
      if (!llvm::is_contained(axes, static_cast<int64_t>(dim)))
        resultSizes.push_back(size);
      else if (op.getKeepdims())
        resultSizes.push_back(rewriter.getIndexAttr(1));
    }
    AffineMap accMap =
        op.getKeepdims()
            ? getDropDimsMap(rank, axes, context)
            : rewriter.getMultiDimIdentityMap(resultType.getRank());
    Value result = buildParallelGeneric(
        rewriter, loc, resultSizes, elementType, acc, accMap,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value value = args[0];
          if (invCount)
            value = createScalarBinary(b, l, ScalarBinaryKind::Mul, value,
                                       invCount);
          return createScalarCast(b, l, value, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

void populateMllmReductionToLinalgPatterns(const TypeConverter &typeConverter,
                                           RewritePatternSet &patterns) {
  patterns.add<ReduceOpLowering<mllm::ReduceMeanOp, ReduceKind::Mean>,
               ReduceOpLowering<mllm::ReduceSumOp, ReduceKind::Sum>,
               ReduceOpLowering<mllm::ReduceMaxOp, ReduceKind::Max>,
               ReduceOpLowering<mllm::ReduceMinOp, ReduceKind::Min>,
               ReduceOpLowering<mllm::ReduceProdOp, ReduceKind::Prod>>(
      typeConverter, patterns.getContext());
}

} // namespace mllmc
