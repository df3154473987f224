//===- MatmulKernel.h - Register-tiled f32 matmul on memrefs ----*- C++ -*-===//
//
// Replaces a bufferized f32 linalg.matmul / linalg.batch_matmul (plain
// row-major operands) by loops around a register tile: an MR x NR block of C
// lives in MR vector accumulators of NR lanes while the reduction runs, each
// step broadcasting one element of A per row and multiplying it with one
// NR-wide row of B (vector.fma). The reduction is split into KC-long blocks
// so that a KC x NR panel of B is reused from cache by every row block:
//
//   for n1 in [0, N) step NR:            (full tiles only)
//     for k0 in [0, K) step KC:
//       for m0 in [0, M) step MR:        (full tiles only)
//         acc[0..MR) = C[m0 + i, n1 : n1 + NR]
//         for k in [k0, min(k0 + KC, K)):
//           b = B[k, n1 : n1 + NR]
//           acc[i] = fma(broadcast(A[m0 + i, k]), b, acc[i])
//         C[m0 + i, n1 : n1 + NR] = acc[i]
//
// Rows left over by full row tiles (M mod MR, or all of M when M < MR: a
// decode step's M = 1) get one register tile of exactly that many rows when M
// is static. The columns left over by full tiles (and the rows, where M is
// dynamic) stay linalg ops on subviews (scalar loops later).
//
// An elementwise epilogue (a linalg.generic after the matmul that updates C
// in place: bias, activation, residual; see mllmc-form-dispatches) is applied
// to the accumulators in registers after the last KC block, right before
// they are stored; on the leftover parts it runs as the generic on the same
// subviews. Shapes may be dynamic.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_MATMULKERNEL_H
#define MLLMC_TARGETS_CPU_MATMULKERNEL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mllmc::cpu {

/// Sizes of the register and cache tiles.
struct MatmulTiles {
  int64_t rows = 8;        ///< MR
  int64_t columns = 32;    ///< NR: a multiple of the vector width
  int64_t reduction = 256; ///< KC
};

/// Register tiles for `vectorWidth` f32 lanes: as many accumulators as the
/// vector register file holds with room for the B row and the broadcast.
MatmulTiles chooseMatmulTiles(unsigned vectorWidth);

/// Whether `op` is an f32 matmul or batch_matmul on memrefs with the default
/// (row-major, untransposed) indexing maps, which emitMatmulKernel handles.
bool isKernelMatmul(mlir::linalg::LinalgOp op);

/// Whether `op` is an elementwise epilogue of `matmul` on memrefs: an
/// all-parallel linalg.generic whose only init is the matmul's init (the same
/// value, identity map) and whose inputs are read at projected permutations
/// of its loops (broadcasts such as a bias row).
bool isMatmulEpilogue(mlir::linalg::LinalgOp matmul, mlir::Operation *op);

/// The epilogue of `matmul` that emitMatmulKernel can apply in registers:
/// the op right after it if isMatmulEpilogue, with a body of elementwise
/// arithmetic and inputs that are contiguous along the columns of C or do
/// not depend on them; null otherwise.
mlir::linalg::GenericOp getRegisterEpilogue(mlir::linalg::LinalgOp matmul);

/// Replaces `op` (isKernelMatmul) and its `epilogue` (getRegisterEpilogue,
/// or null) by the register-tiled loops and the linalg ops for the leftover
/// rows and columns.
void emitMatmulKernel(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
                      mlir::linalg::GenericOp epilogue,
                      const MatmulTiles &tiles);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_MATMULKERNEL_H
