//===- ScatterNd.cpp - scatter_nd and scatter_elements --------------------===//
//
// Both scatters start from `data` (bufferization copies it into the result
// buffer) and walk the updates in row-major order with one scalar loop per
// update dimension: each element reads its target position from `indices`
// (a negative index counts from the end), combines with the current value
// for a reduction and is written in place with tensor.insert. Later updates
// of the same position see earlier ones, as ONNX specifies. scatter_nd reads
// a whole position (the last dimension of `indices`) per update slice;
// scatter_elements reads one index per update, for its `axis`.
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

/// The scalar combination of a reduction, or nullopt for `none`.
std::optional<ScalarBinaryKind> getCombiner(mllm::ScatterReduction reduction) {
  switch (reduction) {
  case mllm::ScatterReduction::none:
    return std::nullopt;
  case mllm::ScatterReduction::add:
    return ScalarBinaryKind::Add;
  case mllm::ScatterReduction::mul:
    return ScalarBinaryKind::Mul;
  case mllm::ScatterReduction::max:
    return ScalarBinaryKind::Max;
  case mllm::ScatterReduction::min:
    return ScalarBinaryKind::Min;
  }
  llvm_unreachable("unknown scatter reduction");
}

/// `index` (an integer read from the index tensor) as an `index` value,
/// counting from the end of a dimension of `size` when negative.
Value createWrappedIndex(OpBuilder &b, Location loc, Value index,
                         OpFoldResult size) {
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::AddIOp::create(
      b, loc, index, getValueOrCreateConstantIndexOp(b, loc, size));
  return arith::SelectOp::create(b, loc, isNegative, wrapped, index);
}

/// The loop nest over every element of `updates`, carrying the result
/// (initially `data`): `getTarget` says where the update at `ivs` goes, and
/// the update replaces, or with `combiner` combines with, the value there.
Value buildScatterLoops(
    OpBuilder &b, Location loc, Value data, Value updates,
    std::optional<ScalarBinaryKind> combiner, bool isUnsigned,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
        getTarget) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> ubs;
  for (OpFoldResult size : tensor::getMixedSizes(b, loc, updates))
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  SmallVector<Value> lbs(ubs.size(), zero), steps(ubs.size(), one);
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{data},
      [&](OpBuilder &nb, Location l, ValueRange ivs,
          ValueRange results) -> scf::ValueVector {
        SmallVector<Value> target = getTarget(nb, l, ivs);
        Value value = tensor::ExtractOp::create(nb, l, updates, ivs);
        if (combiner)
          value = createScalarBinary(
              nb, l, *combiner,
              tensor::ExtractOp::create(nb, l, results[0], target), value,
              isUnsigned);
        return {tensor::InsertOp::create(nb, l, value, results[0], target)};
      });
  return nest.results[0];
}

struct ScatterNdOpLowering : OpConversionPattern<mllm::ScatterNdOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ScatterNdOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    Value updates = adaptor.getUpdates();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t batchRank = indicesType.getRank() - 1;
    int64_t depth = indicesType.getDimSize(batchRank);
    std::optional<ScalarBinaryKind> combiner = getCombiner(op.getReduction());
    bool isUnsigned = isUnsignedElementType(op.getData().getType());

    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    // One loop per dimension of `updates`: the index batch, then the slice.
    Value result = buildScatterLoops(
        rewriter, loc, data, updates, combiner, isUnsigned,
        [&](OpBuilder &b, Location l, ValueRange ivs) {
          SmallVector<Value> indexPosition(ivs.take_front(batchRank));
          indexPosition.push_back(Value());
          SmallVector<Value> target;
          for (int64_t d = 0; d < depth; ++d) {
            indexPosition.back() = arith::ConstantIndexOp::create(b, l, d);
            target.push_back(createWrappedIndex(
                b, l, tensor::ExtractOp::create(b, l, indices, indexPosition),
                dataSizes[d]));
          }
          llvm::append_range(target, ivs.drop_front(batchRank));
          return target;
        });
    rewriter.replaceOp(
        op, castToType(rewriter, loc, result, getSignlessType(op.getType())));
    return success();
  }
};

struct ScatterElementsOpLowering
    : OpConversionPattern<mllm::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(mllm::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    int64_t axis = op.getAxis();
    Value axisSize = getValueOrCreateConstantIndexOp(
        rewriter, loc, tensor::getMixedSize(rewriter, loc, data, axis));
    Value result = buildScatterLoops(
        rewriter, loc, data, adaptor.getUpdates(),
        getCombiner(op.getReduction()),
        isUnsignedElementType(op.getData().getType()),
        [&](OpBuilder &b, Location l, ValueRange ivs) {
          SmallVector<Value> target(ivs);
          target[axis] = createWrappedIndex(
              b, l, tensor::ExtractOp::create(b, l, indices, ivs), axisSize);
          return target;
        });
    rewriter.replaceOp(
        op, castToType(rewriter, loc, result, getSignlessType(op.getType())));
    return success();
  }
};

} // namespace

void populateMllmScatterToLinalgPatterns(const TypeConverter &typeConverter,
                                         RewritePatternSet &patterns) {
  patterns.add<ScatterNdOpLowering, ScatterElementsOpLowering>(
      typeConverter, patterns.getContext());
}

} // namespace mllmc
