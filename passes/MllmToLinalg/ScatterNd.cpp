//===- ScatterNd.cpp - scatter_nd -----------------------------------------===//
//
// scatter_nd starts from `data` (bufferization copies it into the result
// buffer) and walks the updates in row-major order with one scalar loop per
// update dimension: each element reads its target position from `indices`
// (a negative index counts from the end), combines with the current value
// for a reduction and is written in place with tensor.insert. Later updates
// of the same position see earlier ones, as ONNX specifies.
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
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    // One loop per dimension of `updates`: the index batch, then the slice.
    SmallVector<Value> ubs;
    for (OpFoldResult size : tensor::getMixedSizes(rewriter, loc, updates))
      ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));
    SmallVector<Value> lbs(ubs.size(), zero), steps(ubs.size(), one);

    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{data},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange results) -> scf::ValueVector {
          SmallVector<Value> indexPosition(ivs.take_front(batchRank));
          indexPosition.push_back(Value());
          SmallVector<Value> target;
          for (int64_t d = 0; d < depth; ++d) {
            indexPosition.back() = arith::ConstantIndexOp::create(b, l, d);
            Value index = arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                tensor::ExtractOp::create(b, l, indices, indexPosition));
            Value isNegative = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::slt, index, zero);
            Value wrapped = arith::AddIOp::create(
                b, l, index,
                getValueOrCreateConstantIndexOp(b, l, dataSizes[d]));
            target.push_back(
                arith::SelectOp::create(b, l, isNegative, wrapped, index));
          }
          llvm::append_range(target, ivs.drop_front(batchRank));
          Value value = tensor::ExtractOp::create(b, l, updates, ivs);
          if (combiner)
            value = createScalarBinary(
                b, l, *combiner,
                tensor::ExtractOp::create(b, l, results[0], target), value,
                isUnsigned);
          return {tensor::InsertOp::create(b, l, value, results[0], target)};
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, nest.results[0],
                                      getSignlessType(op.getType())));
    return success();
  }
};

} // namespace

void populateMllmScatterToLinalgPatterns(const TypeConverter &typeConverter,
                                         RewritePatternSet &patterns) {
  patterns.add<ScatterNdOpLowering>(typeConverter, patterns.getContext());
}

} // namespace mllmc
