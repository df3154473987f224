//===- AttentionPatterns.h - Raise decomposed attention ---------*- C++ -*-===//
//
// The patterns of `mllm-fuse-attention`, in layers (DESIGN.md, principle 5):
//
//   core     MatMul(Q, Kᵀ) → [Mul/Div by a constant] → [masks] → Softmax(last
//            axis) → MatMul(·, V) becomes one `mllm.attention`, on rank-4
//            [B, H, S, D] operands, or on rank-3 [B*H, S, D] ones viewed as
//            [B*H, 1, S, D];
//   scale    a constant factor on the query or key (before their head
//            reshape/transpose) moves into the attention's `scale`;
//   mask     a constant mask equal to the bottom-right causal triangle
//            becomes `causal`; an all-attend constant mask disappears;
//   heads    a rank-3 attention whose operands are reshaped [B, H, S, D]
//            tensors works on those, with `num_heads = H`;
//   gqa      a key and value repeated per query head (repeat_kv: Unsqueeze,
//            Expand, Reshape) are used unrepeated, with `num_kv_heads`.
//
// The refinement layers rewrite `mllm.attention` ops, so they also apply to
// attention that an importer or another pass created.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_ATTENTIONPATTERNS_H
#define MLLMC_PASSES_FUSION_ATTENTIONPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mllmc {

/// The pass name: the category of the fusion remarks of these patterns.
inline constexpr llvm::StringLiteral kFuseAttentionPass = "mllm-fuse-attention";

/// The core: scaled-dot-product subgraphs → `mllm.attention`.
void populateAttentionCorePatterns(mlir::RewritePatternSet &patterns);

/// The layers on top of the core: scale folding, causal masks, heads and
/// grouped-query (repeat_kv) key/value.
void populateAttentionRefinementPatterns(mlir::RewritePatternSet &patterns);

/// Everything `mllm-fuse-attention` applies.
void populateFuseAttentionPatterns(mlir::RewritePatternSet &patterns);

} // namespace mllmc

#endif // MLLMC_PASSES_FUSION_ATTENTIONPATTERNS_H
