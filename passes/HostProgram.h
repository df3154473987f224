//===- HostProgram.h - The host side of a compiled program ------*- C++ -*-===//
//
// After dispatch formation an entry function (`main`) is the host program:
// tensor values flow between `func.call`s of dispatch functions (marked with
// kDispatchAttr), weights come from `ml_program.global_load_const`, and
// reshapes that keep the bytes in place are aliases, not work. Memory
// planning annotates this program with arena offsets; the artifact builder
// turns it into a command list. This header names the conventions they share.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_HOSTPROGRAM_H
#define MLLMC_PASSES_HOSTPROGRAM_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringRef.h"

namespace mllmc {

/// Unit attribute on dispatch functions.
constexpr llvm::StringLiteral kDispatchAttr = "mllm.dispatch";
/// The ONNX name of an entry function argument or result.
constexpr llvm::StringLiteral kNameAttr = "mllm.name";
/// Symbolic names of an argument's dims ("" for static dims).
constexpr llvm::StringLiteral kDimNamesAttr = "mllm.dim_names";
/// The element type an entry function argument or result has in the model
/// (e.g. ui8) where the lowering to linalg made it signless (i8); the
/// artifact records the model's type.
constexpr llvm::StringLiteral kElementTypeAttr = "mllm.element_type";
/// Memory plan: arena size of an entry function, offset of each argument,
/// offsets of each call's results.
constexpr llvm::StringLiteral kArenaSizeAttr = "mllm.arena_size";
constexpr llvm::StringLiteral kArenaOffsetAttr = "mllm.arena_offset";
constexpr llvm::StringLiteral kArenaOffsetsAttr = "mllm.arena_offsets";
/// Memory plan of an entry function with symbolic dims (sizes known at run
/// time): the symbols' names; the buffers in placement order, each a
/// dictionary {size = affine map over the symbols (bytes), above = indices of
/// the earlier buffers it lies above}, so that its offset is the maximum of
/// their ends (0 when none); the buffer of each argument and of each call
/// result.
constexpr llvm::StringLiteral kSymbolsAttr = "mllm.symbols";
constexpr llvm::StringLiteral kArenaPlanAttr = "mllm.arena_plan";
constexpr llvm::StringLiteral kArenaBufferAttr = "mllm.arena_buffer";
constexpr llvm::StringLiteral kArenaBuffersAttr = "mllm.arena_buffers";

/// Whether `func` is a dispatch function (as opposed to an entry function).
inline bool isDispatch(mlir::func::FuncOp func) {
  return func->hasAttr(kDispatchAttr);
}

/// Whether `op` only reinterprets its operand's bytes (same bytes, same
/// order), so its result shares the operand's buffer.
bool isBufferAlias(mlir::Operation *op);

/// The value whose buffer `value` lives in: itself, or the source of the
/// chain of buffer aliases that produced it.
mlir::Value getBufferRoot(mlir::Value value);

/// Bytes of a statically shaped tensor (i1 takes a byte per element).
uint64_t getTensorBytes(mlir::RankedTensorType type);

} // namespace mllmc

#endif // MLLMC_PASSES_HOSTPROGRAM_H
