//===- NormPatterns.h - Raise LayerNorm and RMSNorm -------------*- C++ -*-===//
//
// The patterns of `mllm-fuse-norm`. Both norms share a core,
//
//   n = d / sqrt(mean(d²) + eps)        (or d · rsqrt(·), d · 1/sqrt(·))
//
// anchored on the mean of the square: with d = x - mean(x) it is a
// LayerNorm, with d = x an RMSNorm. A following Mul by a scale (and, for
// LayerNorm, Add of a bias) joins the norm op.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_NORMPATTERNS_H
#define MLLMC_PASSES_FUSION_NORMPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mllmc {

/// The pass name: the category of the fusion remarks of these patterns.
inline constexpr llvm::StringLiteral kFuseNormPass = "mllm-fuse-norm";

/// LayerNorm and RMSNorm decompositions → `mllm.layer_norm`,
/// `mllm.rms_norm`.
void populateFuseNormPatterns(mlir::RewritePatternSet &patterns);

} // namespace mllmc

#endif // MLLMC_PASSES_FUSION_NORMPATTERNS_H
