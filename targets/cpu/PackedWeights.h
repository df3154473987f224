//===- PackedWeights.h - Matmul weights packed in column panels -*- C++ -*-===//
//
// The CPU's matmul kernel (MatmulKernel.h) reads B in panels of NR columns:
// per reduction step k, one NR-wide row of the panel. Where B is a weight
// ([K, N], row-major, as exporters store nn.Linear's transposed weight), the
// rows of a panel lie N floats apart: with N a power of two every row of a
// KC x NR block falls into the same few cache sets and into its own page, so
// the block does not stay in L1 while the row tiles reuse it.
//
// mllmc-cpu-pack-matmul-weights therefore stores such a weight packed at
// compile time, as [ceil(N / NR), K, NR] (panel p holds columns
// p*NR .. p*NR+NR-1, zero-padded past N; each panel contiguous), and makes
// the matmul read it there:
//
//   C[m, n] += A[m, k] * Bp[n floordiv NR, k, n mod NR]
//
// a linalg.generic with those indexing maps (the "packed matmul"), exact
// for every N, which any consumer of linalg can run; the kernel recognizes
// it and loads a panel's rows as contiguous vectors. Weights are constants,
// so packing costs nothing at run time.
//
// The pass runs on the whole program after dispatch formation (the weights
// are ml_program globals the host program passes to dispatch calls; see
// passes/HostProgram.h), on tensors, before the dispatches are bufferized. A
// linalg.matmul of a dispatch gets a packed B when:
//   - its B (f32, static [K, N]) is an argument of the dispatch used by
//     nothing else, and
//   - the dispatch's one call passes an ml_program.global_load_const there,
//     of a global with dense data, or the result of a dispatch that only
//     transposes such a weight (stored [N, K]: Gemm with transB = 1) for
//     this call alone; the panels are then read from the weight's columns,
//     and the run-time transpose (its call and dispatch) goes.
// Everything else (B computed at run time, a batch matmul, other element
// types) keeps linalg.matmul. The packed weight is a new global (name +
// "_panels", or "_t_panels" from a transposed weight), shared by every
// matmul that reads the same weight; the original global is erased once
// nothing loads it. The epilogue of the matmul (its elementwise tail in the
// same dispatch) is untouched: it reads C, which keeps its layout.
//
// Why here and not on linalg before dispatch formation: the CPU alone wants
// this layout (its panel width follows the vector width), the pass keeps
// dispatch formation and epilogue fusion, which know linalg.matmul, as they
// are, and only the artifact's weights and kernels change (`--compile-to`
// output stays target-independent).
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_CPU_PACKEDWEIGHTS_H
#define MLLMC_TARGETS_CPU_PACKEDWEIGHTS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace mllmc::cpu {

/// The panel width NR of `op` if it is a packed matmul: a linalg.generic
/// with loops (m, n, k), maps (m, k), (n floordiv NR, k, n mod NR), (m, n)
/// and body out + in0 * in1 on f32.
std::optional<int64_t> getPackedMatmulPanelWidth(mlir::linalg::LinalgOp op);

/// Whether `op` is a linalg.matmul, linalg.batch_matmul or a packed matmul.
bool isMatmulLike(mlir::linalg::LinalgOp op);

/// The pass's textual pipeline for panels of `panelWidth` columns.
std::string getPackMatmulWeightsPipeline(int64_t panelWidth);

} // namespace mllmc::cpu

#endif // MLLMC_TARGETS_CPU_PACKEDWEIGHTS_H
