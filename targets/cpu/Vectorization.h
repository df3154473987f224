//===- Vectorization.h - Vector code for the CPU's linalg ops ---*- C++ -*-===//
//
// Every linalg op that the matmul kernel did not take (elementwise ops,
// reductions, transposes, fills, the matmul's leftover edges excepted) is
// tiled so that its innermost loop runs `vectorTile` iterations at a time and
// all others one, and each tile is vectorized (linalg::vectorize, with masks
// where the innermost extent is not a multiple of the tile). The vector ops
// are then lowered towards 1-D loads, stores and arithmetic that the LLVM
// conversion takes directly.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_VECTORIZATION_H
#define MLLMC_TARGETS_CPU_VECTORIZATION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mllmc::cpu {

/// Tiles and vectorizes the linalg ops of `func` (see above); ops that
/// cannot be vectorized stay (possibly tiled) linalg ops.
void vectorizeLinalgOps(mlir::RewriterBase &rewriter, mlir::func::FuncOp func,
                        int64_t vectorTile);

/// Lowers masks, transfers of rank > 1, multi-reductions, contractions and
/// broadcasts inside `func` to forms the LLVM conversion handles well.
mlir::LogicalResult lowerVectorOps(mlir::func::FuncOp func);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_VECTORIZATION_H
