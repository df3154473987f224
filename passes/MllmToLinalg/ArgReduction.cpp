//===- ArgReduction.cpp - arg_max and arg_min -----------------------------===//
//
// One linalg.generic reduction over the axis with two outputs: the running
// extreme value (starting at the type's lowest or highest value) and its
// index (i64, from linalg.index). An element replaces the running pair when
// it is strictly better, so ties keep the first index; with
// select_last_index an equal element replaces it too, so the last one wins.
// keepdims expands the index tensor with a unit dim (no copy).
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/MllmToLinalg.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"
#include "passes/MllmToLinalg/SignlessTypes.h"

#include "dialects/mllm/IR/MllmOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace mllmc {
namespace {

/// `indices` (the result without the reduced dim) with a unit dim inserted at
/// `axis`.
Value insertUnitDim(OpBuilder &b, Location loc, Value indices, int64_t axis) {
  auto type = cast<RankedTensorType>(indices.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + axis, 1);
  // The unit dim joins the group of its neighbour (none for a scalar).
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t first = i < axis ? i : i + 1;
    ReassociationIndices group = {first};
    if (i == axis)
      group.insert(group.begin(), axis);
    else if (i == rank - 1 && axis == rank)
      group.push_back(axis);
    groups.push_back(group);
  }
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), indices,
                                       groups);
}

template <typename OpTy, bool isMax>
struct ArgReduceOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    bool isUnsigned = isUnsignedElementType(op.getInput().getType());
    Type indexType = rewriter.getI64Type();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    MLIRContext *context = rewriter.getContext();

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> keptSizes(sizes);
    keptSizes.erase(keptSizes.begin() + axis);
    Value values = createFilledTensor(
        rewriter, loc, keptSizes,
        isMax ? getLowestValueAttr(elementType, isUnsigned)
              : getHighestValueAttr(elementType, isUnsigned));
    Value indices = createFilledTensor(rewriter, loc, keptSizes,
                                       rewriter.getZeroAttr(indexType));

    AffineMap keptMap = getDropDimsMap(rank, {axis}, context);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   keptMap, keptMap};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    ScalarCmpKind better =
        isMax
            ? (op.getSelectLastIndex() ? ScalarCmpKind::Ge : ScalarCmpKind::Gt)
            : (op.getSelectLastIndex() ? ScalarCmpKind::Le : ScalarCmpKind::Lt);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{values.getType(), indices.getType()}, input,
        ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value position = arith::IndexCastOp::create(
              b, l, indexType, linalg::IndexOp::create(b, l, axis));
          Value replace =
              createScalarCmp(b, l, better, args[0], args[1], isUnsigned);
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, replace, args[0], args[1]),
                  arith::SelectOp::create(b, l, replace, position, args[2])});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims())
      result = insertUnitDim(rewriter, loc, result, axis);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void populateMllmArgReductionToLinalgPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<ArgReduceOpLowering<mllm::ArgMaxOp, /*isMax=*/true>,
               ArgReduceOpLowering<mllm::ArgMinOp, /*isMax=*/false>>(
      typeConverter, patterns.getContext());
}

} // namespace mllmc
