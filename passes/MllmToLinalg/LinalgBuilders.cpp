//===- LinalgBuilders.cpp - Tensor-level building blocks ------------------===//

#include "passes/MllmToLinalg/LinalgBuilders.h"

#include "passes/MllmToLinalg/ScalarBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace mllmc {

AffineMap getBroadcastIndexingMap(ArrayRef<int64_t> operandShape,
                                  ArrayRef<int64_t> resultShape,
                                  MLIRContext *context) {
  unsigned offset = resultShape.size() - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(operandShape)) {
    int64_t resultSize = resultShape[offset + i];
    if (size == 1 && resultSize != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, context);
}

FailureOr<SmallVector<OpFoldResult>>
getBroadcastResultSizes(OpBuilder &b, Location loc, ValueRange operands,
                        ArrayRef<int64_t> resultShape) {
  SmallVector<OpFoldResult> sizes;
  for (auto [dim, size] : llvm::enumerate(resultShape)) {
    if (!ShapedType::isDynamic(size)) {
      sizes.push_back(b.getIndexAttr(size));
      continue;
    }
    Value source;
    int64_t sourceDim = 0;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t aligned =
          static_cast<int64_t>(dim) -
          static_cast<int64_t>(resultShape.size() - type.getRank());
      if (aligned >= 0 && type.isDynamicDim(aligned)) {
        source = operand;
        sourceDim = aligned;
        break;
      }
    }
    if (!source)
      return failure();
    sizes.push_back(
        tensor::DimOp::create(b, loc, source, sourceDim).getResult());
  }
  return sizes;
}

AffineMap getDropDimsMap(unsigned rank, ArrayRef<int64_t> droppedDims,
                         MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (unsigned dim = 0; dim < rank; ++dim)
    if (!llvm::is_contained(droppedDims, dim))
      exprs.push_back(getAffineDimExpr(dim, context));
  return AffineMap::get(rank, 0, exprs, context);
}

Value createFilledTensor(OpBuilder &b, Location loc,
                         ArrayRef<OpFoldResult> sizes, TypedAttr value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, value.getType());
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value buildParallelGeneric(OpBuilder &b, Location loc,
                           ArrayRef<OpFoldResult> sizes, Type elementType,
                           ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                           ScalarBodyBuilder body) {
  Value init = tensor::EmptyOp::create(b, loc, sizes, elementType);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(sizes.size()));
  SmallVector<utils::IteratorType> iterators(sizes.size(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value createReciprocalCount(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes, Type type) {
  int64_t staticCount = 1;
  Value dynamicCount;
  for (OpFoldResult size : sizes) {
    if (std::optional<int64_t> value = getConstantIntValue(size)) {
      staticCount *= *value;
      continue;
    }
    Value dim = cast<Value>(size);
    dynamicCount = dynamicCount
                       ? Value(arith::MulIOp::create(b, loc, dynamicCount, dim))
                       : dim;
  }
  if (!dynamicCount)
    return createScalarConstant(b, loc, type, 1.0 / staticCount);
  Value count = arith::MulIOp::create(
      b, loc, dynamicCount,
      arith::ConstantIndexOp::create(b, loc, staticCount));
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
  Value asFloat = arith::SIToFPOp::create(b, loc, type, asInt);
  return arith::DivFOp::create(b, loc, createScalarConstant(b, loc, type, 1.0),
                               asFloat);
}

Value buildReductionGeneric(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes,
                            ArrayRef<int64_t> reducedDims, TypedAttr init,
                            ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                            ScalarBodyBuilder body) {
  SmallVector<OpFoldResult> keptSizes;
  SmallVector<utils::IteratorType> iterators;
  for (auto [dim, size] : llvm::enumerate(sizes)) {
    bool reduced = llvm::is_contained(reducedDims, dim);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced)
      keptSizes.push_back(size);
  }
  Value acc = createFilledTensor(b, loc, keptSizes, init);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(getDropDimsMap(sizes.size(), reducedDims, b.getContext()));
  auto generic = linalg::GenericOp::create(
      b, loc, acc.getType(), inputs, acc, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

FailureOr<Value> buildBroadcastElementwise(OpBuilder &b, Location loc,
                                           ValueRange inputs,
                                           RankedTensorType resultType,
                                           ScalarBodyBuilder body) {
  ArrayRef<int64_t> resultShape = resultType.getShape();
  FailureOr<SmallVector<OpFoldResult>> sizes =
      getBroadcastResultSizes(b, loc, inputs, resultShape);
  if (failed(sizes))
    return failure();
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    auto inputType = cast<RankedTensorType>(input.getType());
    if (inputType.getRank() > resultType.getRank())
      return failure();
    maps.push_back(getBroadcastIndexingMap(inputType.getShape(), resultShape,
                                           b.getContext()));
  }
  return buildParallelGeneric(b, loc, *sizes, resultType.getElementType(),
                              inputs, maps, body);
}

Value castToType(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

Value buildElementTypeCast(OpBuilder &b, Location loc, Value tensor,
                           Type elementType, bool srcUnsigned,
                           bool dstUnsigned) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType() == elementType)
    return tensor;
  if (!isSupportedScalarCast(type.getElementType(), elementType))
    return nullptr;
  return buildParallelGeneric(
      b, loc, tensor::getMixedSizes(b, loc, tensor), elementType, tensor,
      b.getMultiDimIdentityMap(type.getRank()),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return createScalarCast(nested, nestedLoc, args[0], elementType,
                                srcUnsigned, dstUnsigned);
      });
}

} // namespace mllmc
