//===- RuntimeSizes.h - Dispatch shapes known at run time -------*- C++ -*-===//
//
// Dispatch functions lower with the bare-pointer calling convention (a
// buffer is a pointer), which needs static shapes. A dispatch of a model
// with symbolic dims has buffers like memref<?x?x32xf32> instead: each such
// argument becomes a rank-0 memref (a bare pointer) that the function views
// with memref.reinterpret_cast at the shape given by new trailing index
// arguments, one per dynamic dim. The runtime passes those, and the
// dispatch's own index arguments, as integers after the buffers
// (EntryPoints.h).
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_RUNTIMESIZES_H
#define MLLMC_TARGETS_CPU_RUNTIMESIZES_H

#include "targets/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mllmc::cpu {

/// Rewrites `func` as above and returns its launch: the buffer arguments in
/// order, then the sizes its integer parameters receive, in order (its index
/// arguments, then the dynamic dims of its buffers). Fails, with an error,
/// on an argument that is neither a memref nor an index.
mlir::FailureOr<KernelLaunch> passRuntimeSizes(mlir::func::FuncOp func);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_RUNTIMESIZES_H
