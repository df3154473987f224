//===- MatmulBuilders.cpp - numpy matmul and linear in linalg -------------===//
//
// numpy matmul maps onto the named linalg ops where it can (linalg.matmul for
// 2-D, and for N-D x 2-D after collapsing the leading dims; linalg.batch_matmul
// when both batch shapes agree) and onto one contraction linalg.generic with
// broadcasting maps otherwise. linear folds its leading dims into one matrix.
//
//===----------------------------------------------------------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"
#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace mllmc {
namespace {

/// Reassociation that groups the dims [0, count) into one and keeps the
/// remaining `rank - count` dims.
SmallVector<ReassociationIndices> groupLeadingDims(int64_t rank,
                                                   int64_t count) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices leading;
  for (int64_t i = 0; i < count; ++i)
    leading.push_back(i);
  groups.push_back(leading);
  for (int64_t i = count; i < rank; ++i)
    groups.push_back({i});
  return groups;
}

/// `[K]` as `[1, K]`.
Value expandVector(OpBuilder &b, Location loc, Value vector) {
  auto type = cast<RankedTensorType>(vector.getType());
  auto expandedType =
      RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType());
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1),
                                     tensor::getMixedSize(b, loc, vector, 0)};
  return tensor::ExpandShapeOp::create(b, loc, expandedType, vector, {{0, 1}},
                                       sizes);
}

/// The sizes of the matmul result `shape` (rank R >= 2): batch dims from
/// whichever operand is dynamic there, M from lhs, N from rhs.
SmallVector<OpFoldResult> getMatmulSizes(OpBuilder &b, Location loc, Value lhs,
                                         Value rhs, ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  SmallVector<OpFoldResult> sizes;
  for (int64_t dim = 0; dim < rank; ++dim) {
    if (!ShapedType::isDynamic(shape[dim])) {
      sizes.push_back(b.getIndexAttr(shape[dim]));
      continue;
    }
    if (dim == rank - 2) {
      sizes.push_back(tensor::getMixedSize(
          b, loc, lhs, cast<RankedTensorType>(lhs.getType()).getRank() - 2));
      continue;
    }
    if (dim == rank - 1) {
      sizes.push_back(tensor::getMixedSize(
          b, loc, rhs, cast<RankedTensorType>(rhs.getType()).getRank() - 1));
      continue;
    }
    OpFoldResult size;
    for (Value operand : {lhs, rhs}) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t aligned = dim - (rank - type.getRank());
      if (aligned >= 0 && type.isDynamicDim(aligned)) {
        size = tensor::getMixedSize(b, loc, operand, aligned);
        break;
      }
    }
    sizes.push_back(size ? size : b.getIndexAttr(1));
  }
  return sizes;
}

/// Whether the batch dims (all but the last two) of two rank-R operands are
/// the same, so that no broadcasting is needed.
bool haveSameBatchShape(RankedTensorType lhs, RankedTensorType rhs) {
  if (lhs.getRank() != rhs.getRank())
    return false;
  for (int64_t dim = 0; dim + 2 < lhs.getRank(); ++dim) {
    int64_t l = lhs.getDimSize(dim), r = rhs.getDimSize(dim);
    if (l != r || l == 1)
      return false;
  }
  return true;
}

/// Matmul of two operands of rank >= 2 into a tensor of `shape`, accumulated
/// in `accType` and converted to `resultElementType` before the result
/// regains its batch dims.
Value buildMatmulCore(OpBuilder &b, Location loc, Value lhs, Value rhs,
                      ArrayRef<int64_t> shape, Type accType,
                      Type resultElementType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t rank = shape.size();
  SmallVector<OpFoldResult> sizes = getMatmulSizes(b, loc, lhs, rhs, shape);
  TypedAttr zero = b.getZeroAttr(accType);
  auto resultType = RankedTensorType::get(shape, resultElementType);

  // [..., M, K] x [K, N]: fold the leading dims into M.
  if (rhsType.getRank() == 2 && lhsType.getRank() == rank) {
    Value lhs2d = lhs;
    if (rank > 2)
      lhs2d = tensor::CollapseShapeOp::create(b, loc, lhs,
                                              groupLeadingDims(rank, rank - 1));
    SmallVector<OpFoldResult> flatSizes = {
        tensor::getMixedSize(b, loc, lhs2d, 0), sizes.back()};
    Value acc = createFilledTensor(b, loc, flatSizes, zero);
    Value product =
        linalg::MatmulOp::create(b, loc, ValueRange{lhs2d, rhs}, acc)
            .getResult(0);
    product = buildElementTypeCast(b, loc, product, resultElementType);
    if (rank == 2)
      return product;
    return tensor::ExpandShapeOp::create(
        b, loc, resultType, product, groupLeadingDims(rank, rank - 1), sizes);
  }

  // Equal batch shapes: one linalg.batch_matmul over the flattened batch.
  if (haveSameBatchShape(lhsType, rhsType) && lhsType.getRank() == rank) {
    auto toBatch3d = [&](Value value) -> Value {
      if (rank == 3)
        return value;
      return tensor::CollapseShapeOp::create(b, loc, value,
                                             groupLeadingDims(rank, rank - 2));
    };
    Value lhs3d = toBatch3d(lhs), rhs3d = toBatch3d(rhs);
    SmallVector<OpFoldResult> batchSizes = {
        tensor::getMixedSize(b, loc, lhs3d, 0), sizes[rank - 2],
        sizes[rank - 1]};
    Value acc = createFilledTensor(b, loc, batchSizes, zero);
    Value product =
        linalg::BatchMatmulOp::create(b, loc, ValueRange{lhs3d, rhs3d}, acc)
            .getResult(0);
    product = buildElementTypeCast(b, loc, product, resultElementType);
    if (rank == 3)
      return product;
    return tensor::ExpandShapeOp::create(
        b, loc, resultType, product, groupLeadingDims(rank, rank - 2), sizes);
  }

  // Broadcast batch dims: one contraction over (batch..., m, n, k).
  MLIRContext *context = b.getContext();
  int64_t loops = rank + 1;
  AffineExpr m = getAffineDimExpr(rank - 2, context);
  AffineExpr n = getAffineDimExpr(rank - 1, context);
  AffineExpr k = getAffineDimExpr(rank, context);
  auto operandMap = [&](RankedTensorType type, AffineExpr row, AffineExpr col) {
    SmallVector<int64_t> batchShape(type.getShape().drop_back(2));
    AffineMap batch =
        getBroadcastIndexingMap(batchShape, shape.drop_back(2), context);
    SmallVector<AffineExpr> exprs(batch.getResults());
    exprs.push_back(row);
    exprs.push_back(col);
    return AffineMap::get(loops, 0, exprs, context);
  };
  SmallVector<AffineExpr> outExprs;
  for (int64_t dim = 0; dim < rank; ++dim)
    outExprs.push_back(getAffineDimExpr(dim, context));
  SmallVector<AffineMap> maps = {operandMap(lhsType, m, k),
                                 operandMap(rhsType, k, n),
                                 AffineMap::get(loops, 0, outExprs, context)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value acc = createFilledTensor(b, loc, sizes, zero);
  auto generic = linalg::GenericOp::create(
      b, loc, acc.getType(), ValueRange{lhs, rhs}, acc, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value l = createScalarCast(nb, nl, args[0], accType);
        Value r = createScalarCast(nb, nl, args[1], accType);
        Value product = createScalarBinary(nb, nl, ScalarBinaryKind::Mul, l, r);
        Value sum =
            createScalarBinary(nb, nl, ScalarBinaryKind::Add, args[2], product);
        linalg::YieldOp::create(nb, nl, sum);
      });
  return buildElementTypeCast(b, loc, generic.getResult(0), resultElementType);
}

} // namespace

Value collapseToMatrix(OpBuilder &b, Location loc, Value input) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  if (rank == 1)
    return expandVector(b, loc, input);
  if (rank == 2)
    return input;
  return tensor::CollapseShapeOp::create(b, loc, input,
                                         groupLeadingDims(rank, rank - 1));
}

Value expandFromMatrix(OpBuilder &b, Location loc, Value matrix,
                       Value original) {
  auto originalType = cast<RankedTensorType>(original.getType());
  auto matrixType = cast<RankedTensorType>(matrix.getType());
  int64_t rank = originalType.getRank();
  if (rank == 2)
    return matrix;
  SmallVector<int64_t> shape(originalType.getShape().drop_back());
  shape.push_back(matrixType.getDimSize(1));
  auto resultType = RankedTensorType::get(shape, matrixType.getElementType());
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, resultType, matrix, SmallVector<ReassociationIndices>{{0, 1}});
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, original);
  sizes.back() = tensor::getMixedSize(b, loc, matrix, 1);
  return tensor::ExpandShapeOp::create(b, loc, resultType, matrix,
                                       groupLeadingDims(rank, rank - 1), sizes);
}

FailureOr<Value> buildMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                             RankedTensorType resultType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type elementType = lhsType.getElementType();
  if (lhsType.getRank() < 2 || rhsType.getRank() < 2 ||
      elementType != rhsType.getElementType() || elementType.isInteger(1) ||
      !isSupportedScalarCast(elementType, resultType.getElementType()))
    return failure();
  Value product =
      buildMatmulCore(b, loc, lhs, rhs, resultType.getShape(),
                      getComputeType(elementType), resultType.getElementType());
  return castToType(b, loc, product, resultType);
}

LogicalResult verifyLinearOperands(Value input, Value weight, Value bias,
                                   Type resultElementType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type elementType = inputType.getElementType();
  if (inputType.getRank() == 0 || weightType.getRank() != 2 ||
      weightType.getElementType() != elementType || elementType.isInteger(1) ||
      !isSupportedScalarCast(elementType, resultElementType))
    return failure();
  if (!bias)
    return success();
  auto biasType = cast<RankedTensorType>(bias.getType());
  return success(
      biasType.getRank() == 1 &&
      isSupportedScalarCast(biasType.getElementType(), resultElementType));
}

FailureOr<Value> buildLinear(OpBuilder &b, Location loc, Value input,
                             Value weight, Value bias, Type resultElementType) {
  if (failed(verifyLinearOperands(input, weight, bias, resultElementType)))
    return failure();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type elementType = inputType.getElementType();
  int64_t rank = inputType.getRank();

  Value input2d = collapseToMatrix(b, loc, input);

  Type accType = getComputeType(elementType);
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, input2d, 0),
                                     tensor::getMixedSize(b, loc, weight, 1)};
  Value acc = createFilledTensor(b, loc, sizes, b.getZeroAttr(accType));
  Value product =
      linalg::MatmulOp::create(b, loc, ValueRange{input2d, weight}, acc)
          .getResult(0);

  // Bias add and cast to the result type in one generic.
  MLIRContext *context = b.getContext();
  SmallVector<Value> inputs = {product};
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(2, context)};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(2, 0, getAffineDimExpr(1, context)));
  }
  Value result = product;
  if (bias || accType != resultElementType)
    result = buildParallelGeneric(
        b, loc, sizes, resultElementType, inputs, maps,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value sum = args[0];
          if (args.size() > 1)
            sum =
                createScalarBinary(nb, nl, ScalarBinaryKind::Add, sum,
                                   createScalarCast(nb, nl, args[1], accType));
          return createScalarCast(nb, nl, sum, resultElementType);
        });

  return expandFromMatrix(b, loc, result, input);
}

} // namespace mllmc
