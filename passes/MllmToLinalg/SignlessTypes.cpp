//===- SignlessTypes.cpp - Unsigned mllm types to signless ones -----------===//

#include "passes/MllmToLinalg/SignlessTypes.h"
#include "passes/HostProgram.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace mllmc {

Type getSignlessType(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.isSignless()
               ? type
               : IntegerType::get(type.getContext(), integer.getWidth());
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    Type element = getSignlessType(tensor.getElementType());
    return element == tensor.getElementType() ? type : tensor.clone(element);
  }
  return type;
}

bool isUnsignedElementType(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

FailureOr<TypedAttr> getSignlessElements(ElementsAttr value) {
  auto type = cast<ShapedType>(value.getType());
  Type elementType = getSignlessType(type.getElementType());
  if (elementType == type.getElementType())
    return cast<TypedAttr>(value);
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return cast<TypedAttr>(dense.bitcast(elementType));
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return cast<TypedAttr>(DenseResourceElementsAttr::get(
        type.clone(elementType), resource.getRawHandle()));
  return failure();
}

SignlessTypeConverter::SignlessTypeConverter() {
  addConversion([](Type type) { return getSignlessType(type); });
  auto materialize = [](OpBuilder &builder, Type type, ValueRange inputs,
                        Location loc) -> Value {
    return UnrealizedConversionCastOp::create(builder, loc, type, inputs)
        .getResult(0);
  };
  addSourceMaterialization(materialize);
  addTargetMaterialization(materialize);
}

void recordModelElementTypes(func::FuncOp func) {
  auto record = [](Type type, auto setAttr) {
    if (getSignlessType(type) != type)
      setAttr(TypeAttr::get(getElementTypeOrSelf(type)));
  };
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes()))
    record(type, [&](TypeAttr attr) {
      func.setArgAttr(index, kElementTypeAttr, attr);
    });
  for (auto [index, type] : llvm::enumerate(func.getResultTypes()))
    record(type, [&](TypeAttr attr) {
      func.setResultAttr(index, kElementTypeAttr, attr);
    });
}

} // namespace mllmc
