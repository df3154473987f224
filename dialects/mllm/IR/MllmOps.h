//===- MllmOps.h - mllm operations ------------------------------*- C++ -*-===//

#ifndef MLLM_IR_MLLMOPS_H
#define MLLM_IR_MLLMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/mllm/IR/MllmDialect.h"
#include "dialects/mllm/IR/MllmEnums.h.inc"

namespace mlir::mllm::detail {
/// Infers the result type of a broadcasting elementwise op: the shape is the
/// multidirectional broadcast of all `operands`' shapes. The element type is
/// `resultElementType`, or the shared element type of the operands when it is
/// null (then all operands must agree on it). Emits an error naming `opName`
/// at `location` on failure.
LogicalResult inferBroadcastType(StringRef opName,
                                 std::optional<Location> location,
                                 ValueRange operands, Type resultElementType,
                                 SmallVectorImpl<Type> &inferredReturnTypes);

/// Infers the result type of a reduction of `input` over `axes` (strictly
/// increasing, in [0, rank)), keeping them as size-1 dims with `keepdims`.
/// Emits an error naming `opName` at `location` on failure.
LogicalResult inferReduceType(StringRef opName,
                              std::optional<Location> location, Value input,
                              ArrayRef<int64_t> axes, bool keepdims,
                              SmallVectorImpl<Type> &inferredReturnTypes);

/// Infers the i64 result type of arg_max/arg_min of `input` along `axis` (in
/// [0, rank)), keeping it as a size-1 dim with `keepdims`. Emits an error
/// naming `opName` at `location` on failure.
LogicalResult inferArgReduceType(StringRef opName,
                                 std::optional<Location> location, Value input,
                                 int64_t axis, bool keepdims,
                                 SmallVectorImpl<Type> &inferredReturnTypes);
} // namespace mlir::mllm::detail

#define GET_OP_CLASSES
#include "dialects/mllm/IR/MllmOps.h.inc"

#endif // MLLM_IR_MLLMOPS_H
