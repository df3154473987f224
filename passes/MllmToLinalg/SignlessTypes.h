//===- SignlessTypes.h - Unsigned mllm types to signless ones ---*- C++ -*-===//
//
// The mllm dialect carries unsigned integer element types (ui8..ui64, ONNX
// UINT8..UINT64); arith and linalg compute on signless integers. The lowering
// converts the types with SignlessTypeConverter and reads the signedness
// from the mllm op's own operand types, choosing the unsigned arith ops
// (divui, cmpi ult, maxui, uitofp, extui) for unsigned elements.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_SIGNLESSTYPES_H
#define MLLMC_PASSES_MLLMTOLINALG_SIGNLESSTYPES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mllmc {

/// Maps unsigned and signed integer types, and ranked tensors of them, to
/// the signless integer type of the same width; keeps every other type.
class SignlessTypeConverter : public mlir::TypeConverter {
public:
  SignlessTypeConverter();
};

/// `type`, or the element type of the shaped `type`, made signless as
/// SignlessTypeConverter does.
mlir::Type getSignlessType(mlir::Type type);

/// Whether `type`, or the element type of the shaped `type`, is an unsigned
/// integer (ui8..ui64).
bool isUnsignedElementType(mlir::Type type);

/// `value` with its unsigned element type made signless, keeping the bits
/// (dense elements are bitcast, resource elements re-typed); `value` itself
/// when it has no unsigned elements. Fails for other unsigned attributes.
mlir::FailureOr<mlir::TypedAttr> getSignlessElements(mlir::ElementsAttr value);

/// Records on every argument and result of `func` whose type the converter
/// changes the model's element type (HostProgram.h kElementTypeAttr), so
/// that the artifact keeps the unsigned dtype after the signature becomes
/// signless.
void recordModelElementTypes(mlir::func::FuncOp func);

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_SIGNLESSTYPES_H
