//===- MllmToLinalg.h - mllm to linalg patterns -----------------*- C++ -*-===//
//
// Patterns that rewrite `mllm` ops into linalg/tensor/arith/math on builtin
// tensors. `populateMllmToLinalgPatterns` adds all of them; the per-family
// functions let a pipeline pick (e.g. keep `mllm.attention` for a fused
// kernel and lower everything else). The families of ops that take integer
// tensors get the type converter that makes unsigned types signless
// (SignlessTypes.h); the float-only families need none.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_MLLMTOLINALG_MLLMTOLINALG_H
#define MLLMC_PASSES_MLLMTOLINALG_MLLMTOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::mllm {
class AttentionOp;
} // namespace mlir::mllm

namespace mllmc {

/// Elementwise binary ops with broadcasting (add, sub, mul, div, pow, max,
/// min, and, or), cmp and select.
void populateMllmElementwiseToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// Elementwise unary ops, activations (gelu, quick_gelu, silu, ...) and cast.
void populateMllmUnaryToLinalgPatterns(const mlir::TypeConverter &typeConverter,
                                       mlir::RewritePatternSet &patterns);

/// resize (one linalg.generic per resampled axis).
void populateMllmResizeToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// softmax, layer_norm and rms_norm.
void populateMllmNormalizationToLinalgPatterns(
    mlir::RewritePatternSet &patterns);

/// reduce_mean, reduce_sum, reduce_max, reduce_min and reduce_prod.
void populateMllmReductionToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// arg_max and arg_min.
void populateMllmArgReductionToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// conv and conv_transpose.
void populateMllmConvolutionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// pool (max, avg, lp).
void populateMllmPoolingToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// matmul and linear.
void populateMllmMatmulToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// reshape, transpose, concat and constant.
void populateMllmDataMovementToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// slice, gather and gather_elements.
void populateMllmIndexingToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// attention, decomposed into contractions and a softmax (the scores
/// materialized); the fallback of the flash-attention lowering.
void populateMllmAttentionToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// The flash-attention loop nest for mllm.attention, at a higher benefit than
/// the decomposition, which stays the fallback for what it does not take.
/// Each parallel iteration handles `queryTile` query rows of one head; the
/// keys are split across iterations too while there would be fewer than
/// `minParallelism` of them.
void populateMllmFlashAttentionToLinalgPatterns(
    mlir::RewritePatternSet &patterns, int64_t queryTile,
    int64_t minParallelism);

/// The attention result of `op` (its adaptor's `query`) from the online
/// softmax states of key splits (f32 [B, Hq, Sq, S] maxima and sums,
/// [B, Hq, Sq, S, Dv] unnormalized outputs), as flash decoding merges them.
mlir::Value
buildFlashAttentionCombine(mlir::OpBuilder &b, mlir::mllm::AttentionOp op,
                           mlir::Value query, mlir::Value partialMax,
                           mlir::Value partialSum, mlir::Value partialAcc);

/// attention with static shapes and at least `minQueries` query rows, as
/// mllm.kernel.attention for a target's own fused kernel, at a higher benefit
/// than the flash-attention loop nest, which lowers what the kernel does not
/// take.
void populateMllmAttentionKernelPatterns(mlir::RewritePatternSet &patterns,
                                         int64_t minQueries);

/// mlp, decomposed into linear layers and an activation.
void populateMllmMlpToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// rotary_embedding.
void populateMllmRotaryToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// top_k (scalar selection loops).
void populateMllmTopKToLinalgPatterns(const mlir::TypeConverter &typeConverter,
                                      mlir::RewritePatternSet &patterns);

/// cumsum and cumprod (a scalar scan loop).
void populateMllmCumsumToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// scatter_nd and scatter_elements (a copy of the data, then scalar loops
/// over the updates).
void populateMllmScatterToLinalgPatterns(
    const mlir::TypeConverter &typeConverter,
    mlir::RewritePatternSet &patterns);

/// How convert-mllm-to-linalg lowers what has more than one lowering.
struct MllmToLinalgOptions {
  /// The flash-attention loop nest for attention, else the decomposition.
  bool flashAttention = true;
  /// Query rows per parallel iteration of the flash-attention loop nest.
  int64_t flashQueryTile = 32;
  /// Parallel iterations below which flash attention splits the keys too.
  int64_t flashMinParallelism = 64;
  /// Query rows from which attention becomes mllm.kernel.attention; 0 never.
  int64_t attentionKernelMinQueries = 0;
};

/// Every pattern above, chosen by `options`.
void populateMllmToLinalgPatterns(const mlir::TypeConverter &typeConverter,
                                  mlir::RewritePatternSet &patterns,
                                  const MllmToLinalgOptions &options = {});

} // namespace mllmc

#endif // MLLMC_PASSES_MLLMTOLINALG_MLLMTOLINALG_H
