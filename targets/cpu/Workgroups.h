//===- Workgroups.h - Splits a CPU dispatch into workgroups -----*- C++ -*-===//
//
// The runtime calls a CPU kernel once per workgroup id, possibly from several
// threads at once. Every dispatch function gets a trailing `index` argument,
// the workgroup id (x), and, where its work can be split safely, its root
// linalg op and the fills of its outputs are narrowed to the workgroup's
// slice of one parallel loop:
//
//   - one compute op (any number of linalg.fill on its outputs before it)
//     and no other writes to memory;
//   - the sliced loop indexes a dimension of every output, so that slices
//     write disjoint parts;
//   - matmuls split their columns (N) in whole register tiles, so that each
//     workgroup streams its own part of B (usually the weights) once; one
//     with fewer rows than the register tile (a decode step) splits only
//     where B is packed in panels (PackedWeights.h), by whole panels (see
//     getWorkgroupColumns);
//     other ops split their outermost parallel loop that is not of size 1;
//   - a dispatch whose work is one scf.forall (a loop nest that a lowering
//     built, such as flash attention over batch x heads x query tiles) runs
//     a contiguous chunk of its iterations per workgroup.
//
// Small dispatches keep one workgroup: a thread hand-off costs more.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_WORKGROUPS_H
#define MLLMC_TARGETS_CPU_WORKGROUPS_H

#include "targets/cpu/MatmulKernel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mllmc::cpu {

/// Appends the workgroup id argument to `func`, narrows its work to one
/// workgroup where it can, and returns the number of workgroups (>= 1).
/// Matmuls split their columns in multiples of getWorkgroupColumns(tiles).
unsigned distributeToWorkgroups(mlir::RewriterBase &rewriter,
                                mlir::func::FuncOp func,
                                const MatmulTiles &tiles);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_WORKGROUPS_H
