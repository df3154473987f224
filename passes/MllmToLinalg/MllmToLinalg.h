//===- MllmToLinalg.h - mllm to linalg patterns -----------------*- C++ -*-===//
//
// Patterns that rewrite `mllm` ops into linalg/tensor/arith/math on builtin
// tensors. `populateMllmToLinalgPatterns` adds all of them; the per-family
// functions let a pipeline pick (e.g. keep `mllm.attention` for a fused
// kernel and lower everything else).
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_MLLMTOLINALG_H
#define MLLMC_PASSES_MLLMTOLINALG_MLLMTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace mllmc {

/// Elementwise binary ops with broadcasting (add, sub, mul, div, pow, max,
/// min, and, or), cmp and select.
void populateMllmElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Elementwise unary ops, activations (gelu, quick_gelu, silu, ...) and cast.
void populateMllmUnaryToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// softmax, layer_norm and rms_norm.
void populateMllmNormalizationToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// reduce_mean, reduce_sum and reduce_max.
void populateMllmReductionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// arg_max and arg_min.
void populateMllmArgReductionToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// conv.
void populateMllmConvolutionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// matmul and linear.
void populateMllmMatmulToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// reshape, transpose, concat and constant.
void populateMllmDataMovementToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// slice and gather.
void populateMllmIndexingToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// attention, decomposed into contractions and a softmax.
void populateMllmAttentionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// mlp, decomposed into linear layers and an activation.
void populateMllmMlpToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// rotary_embedding.
void populateMllmRotaryToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// top_k (scalar selection loops).
void populateMllmTopKToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// cumsum (a scalar scan loop).
void populateMllmCumsumToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// scatter_nd (a copy of the data, then scalar loops over the updates).
void populateMllmScatterToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Every pattern above.
void populateMllmToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_MLLMTOLINALG_H
