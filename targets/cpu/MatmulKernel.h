//===- MatmulKernel.h - Register-tiled f32 matmul on memrefs ----*- C++ -*-===//
//
// Replaces a bufferized f32 linalg.matmul / linalg.batch_matmul (plain
// row-major operands) by loops around a register tile: an MR x NR block of C
// lives in MR vector accumulators of NR lanes while the reduction runs, each
// step broadcasting one element of A per row and multiplying it with one
// NR-wide row of B (vector.fma). The reduction is split into KC-long blocks
// so that a KC x NR panel of B is reused from cache by every row block:
//
//   for n1 in [0, N) step NR:            (full tiles; see below)
//     for k0 in [0, K) step KC:
//       for m0 in [0, M) step MR:        (full tiles only)
//         acc[0..MR) = C[m0 + i, n1 : n1 + NR]
//         for k in [k0, min(k0 + KC, K)):
//           b = B[k, n1 : n1 + NR]
//           acc[i] = fma(broadcast(A[m0 + i, k]), b, acc[i])
//         C[m0 + i, n1 : n1 + NR] = acc[i]
//
// Where B is a weight it arrives packed at compile time in panels of NR
// columns, [ceil(N / NR), K, NR] (mllmc-cpu-pack-matmul-weights; the op is
// then the "packed matmul" generic of PackedWeights.h): the row k of the
// column tile at n1 is Bp[n1 / NR, k, 0 : NR], so a KC x NR block is one
// contiguous run of KC * NR floats that stays in L1 while every row tile
// reuses it. Read in its ONNX layout ([K, N]) with N a power of two, the
// block's rows lie 4 to 44 KB apart: all in the same few L1/L2 sets and each
// in a page of its own, so it was re-read from L2/L3 by every row tile.
//
// Rows left over by full row tiles (M mod MR) get one register tile of
// exactly that many rows when M is static; where M is dynamic, they stay a
// linalg op on subviews (scalar loops later). Columns left over by full
// tiles get tiles of one vector, and the last N mod (vector width) columns
// one masked vector: no scalar code.
//
// Fewer rows than MR (a decode step: M = 1..MR-1) read each weight once:
// the loops turn around so that B streams row after row,
//
//   for k0 in [0, K) step KC'             (KC' small: a few rows of B)
//     for n1 in [0, N) step NR'           (NR' = as many vectors per row as
//       acc[i][j] = C[i, n1 + j*VW]        the register budget holds)
//       for k in [k0, k0 + KC'):
//         acc[i][j] = fma(broadcast(A[i, k]), B[k, n1 + j*VW], acc[i][j])
//       C[i, n1 : n1 + NR'] = acc
//
// with many independent accumulator chains (rows x NR'/VW), so that many
// loads are in flight and the reads of B are sequential within each of the
// KC' rows; C (a few rows) stays in cache between KC' blocks. With packed
// panels, NR' is whole panels and KC' the whole reduction: each panel is
// read once, front to back, with C in registers throughout; such a matmul
// splits into workgroups by panels (getWorkgroupColumns).
//
// An elementwise epilogue (a linalg.generic after the matmul that updates C
// in place: bias, activation, residual; see mllmc-form-dispatches) is applied
// to the accumulators in registers after the last KC block, right before
// they are stored, once per tile (with the tile's mask). Shapes may be
// dynamic.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_MATMULKERNEL_H
#define MLLMC_TARGETS_CPU_MATMULKERNEL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mllmc::cpu {

/// Sizes of the register and cache tiles.
struct MatmulTiles {
  int64_t vectorWidth = 16; ///< VW: f32 lanes of a vector register
  int64_t rows = 8;         ///< MR
  int64_t columns = 32;     ///< NR: a multiple of the vector width
  int64_t reduction = 256;  ///< KC
  /// Vector accumulators of a tile with fewer rows than MR, all rows
  /// together (NR' / VW per row).
  int64_t fewRowsAccumulators = 8;
  /// KC' of a tile with fewer rows than MR.
  int64_t fewRowsReduction = 4;
};

/// Register tiles for `vectorWidth` f32 lanes: as many accumulators as the
/// vector register file holds with room for the B row and the broadcast.
MatmulTiles chooseMatmulTiles(unsigned vectorWidth);

/// The vectors per row of a tile with `rows` < MR rows (NR' / VW): whole
/// panels where B is `packed`.
int64_t getFewRowsVectors(const MatmulTiles &tiles, int64_t rows, bool packed);

/// The multiple of columns of C that a workgroup of a matmul with `rows`
/// rows (M) takes: NR; for fewer rows than MR, the few-row tile's columns
/// where B is `packed` (each workgroup streams its own panels), and none
/// (one workgroup) where it is not, whose reads of B run along whole rows
/// only in one workgroup (a decode step's matmul split by columns was 1.4x
/// to 1.6x slower on one thread).
std::optional<int64_t> getWorkgroupColumns(const MatmulTiles &tiles,
                                           int64_t rows, bool packed);

/// Whether `op` is an f32 matmul or batch_matmul on memrefs with the default
/// (row-major, untransposed) indexing maps, or a packed matmul
/// (PackedWeights.h) whose panels hold whole column tiles, which
/// emitMatmulKernel handles.
bool isKernelMatmul(mlir::linalg::LinalgOp op, const MatmulTiles &tiles);

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
