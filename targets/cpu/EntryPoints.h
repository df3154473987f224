//===- EntryPoints.h - CPU kernel entry points ------------------*- C++ -*-===//
//
// The runtime calls every CPU kernel through one C signature:
//
//   void entry(void *const *bindings, uint32_t workgroupX,
//              uint32_t workgroupY, uint32_t workgroupZ);
//
// where `bindings` holds one host pointer per buffer argument of the
// dispatch and then, for a dispatch with run-time sizes (RuntimeSizes.h),
// one pointer-sized integer per index argument, in order. Dispatch
// functions are lowered with the bare-pointer calling convention and take the
// workgroup id (x) as a trailing index argument (Workgroups.h); this file
// renames each to an internal `<name>.impl` and adds the public entry point
// that unpacks the bindings and calls it.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_ENTRYPOINTS_H
#define MLLMC_TARGETS_CPU_ENTRYPOINTS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

namespace mllmc::cpu {

/// Wraps every public `llvm.func` in `module` (the lowered dispatch
/// functions) in an entry point with the runtime's signature.
void addEntryPointWrappers(mlir::ModuleOp module);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_ENTRYPOINTS_H
