//===- ProjectorPatterns.h - Raise linear layers and MLPs -------*- C++ -*-===//
//
// The patterns of `mllm-fuse-projector`, in layers (DESIGN.md, principle 5):
//
//   linear      MatMul(x, W) with a constant rank-2 weight, and its bias Add
//               (either operand order, a bias broadcast along the leading
//               dims) → `mllm.linear`;
//   activation  the erf and tanh GELU decompositions, QuickGELU
//               (x·sigmoid(1.702x)) and SiLU (x·sigmoid(x)) → `mllm.gelu`,
//               `mllm.quick_gelu`, `mllm.silu`;
//   mlp         linear → activation → linear, and the gated form
//               act(x·Wg) * (x·Wu) → linear (SwiGLU, GeGLU) → `mllm.mlp`.
//
// Each layer matches the ops the one below creates, so an exporter that
// writes a GELU differently only needs a new activation pattern.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_PROJECTORPATTERNS_H
#define MLLMC_PASSES_FUSION_PROJECTORPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mllmc {

/// The pass name: the category of the fusion remarks of these patterns.
inline constexpr llvm::StringLiteral kFuseProjectorPass = "mllm-fuse-projector";

/// MatMul (+ bias Add) with a constant weight → `mllm.linear`.
void populateFuseLinearPatterns(mlir::RewritePatternSet &patterns);

/// GELU (erf, tanh), QuickGELU and SiLU decompositions → activation ops.
void populateFuseActivationPatterns(mlir::RewritePatternSet &patterns);

/// linear → activation → linear (plain or gated) → `mllm.mlp`.
void populateFuseMlpPatterns(mlir::RewritePatternSet &patterns);

/// Everything `mllm-fuse-projector` applies: the three layers above.
void populateFuseProjectorPatterns(mlir::RewritePatternSet &patterns);

} // namespace mllmc

#endif // MLLMC_PASSES_FUSION_PROJECTORPATTERNS_H
