//===- MllmElementwiseOps.cpp - broadcasting, select and cast -------------===//

#include "dialects/mllm/IR/MllmOps.h"

#include "dialects/mllm/IR/MllmShapes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::mllm;

LogicalResult mllm::detail::inferBroadcastType(
    StringRef opName, std::optional<Location> location, ValueRange operands,
    Type resultElementType, SmallVectorImpl<Type> &inferredReturnTypes) {
  SmallVector<int64_t> shape;
  Type elementType;
  for (auto [index, operand] : llvm::enumerate(operands)) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type)
      return emitOptionalError(location, "'", opName, "' op operand #", index,
                               " must be a ranked tensor, got ",
                               operand.getType());
    if (index == 0) {
      shape.assign(type.getShape().begin(), type.getShape().end());
      elementType = type.getElementType();
      continue;
    }
    if (!resultElementType && type.getElementType() != elementType)
      return emitOptionalError(location, "'", opName,
                               "' op operands must have the same element "
                               "type, got ",
                               elementType, " and ", type.getElementType());
    SmallVector<int64_t> broadcast;
    if (failed(broadcastShapes(shape, type.getShape(), broadcast)))
      return emitOptionalError(location, "'", opName,
                               "' op operand shapes are not broadcastable: ",
                               operands[0].getType(), " and ", type);
    shape = std::move(broadcast);
  }
  inferredReturnTypes.push_back(RankedTensorType::get(
      shape, resultElementType ? resultElementType : elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// SelectOp
//===----------------------------------------------------------------------===//

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  Type trueType = getElementTypeOrSelf(adaptor.getTrueValue().getType());
  Type falseType = getElementTypeOrSelf(adaptor.getFalseValue().getType());
  if (trueType != falseType)
    return emitOptionalError(location, "'", getOperationName(),
                             "' op true_value and false_value must have the "
                             "same element type, got ",
                             trueType, " and ", falseType);
  return detail::inferBroadcastType(getOperationName(), location,
                                    adaptor.getOperands(), trueType, inferred);
}

//===----------------------------------------------------------------------===//
// CastOp
//===----------------------------------------------------------------------===//

LogicalResult CastOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getResult().getType());
  if (inputType.getShape() != resultType.getShape())
    return emitOpError("result shape must equal the input shape, got ")
           << inputType << " to " << resultType;
  return success();
}
