//===- RotaryPatterns.h - Raise rotate-half RoPE ----------------*- C++ -*-===//
//
// Rotary position embeddings as HF LLaMA/Qwen2 write them,
//
//   y = x * cos + rotate_half(x) * sin
//   rotate_half(x) = Concat(Neg(x[..., h:]), x[..., :h]), h = D / 2
//
// and GPT-J's interleaved rotate_every_two, become `mllm.rotary_embedding`.
// They run in `mllm-fuse-attention`, before the attention patterns, so that
// attention sees the rotated q and k.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_PASSES_FUSION_ROTARYPATTERNS_H
#define MLLMC_PASSES_FUSION_ROTARYPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mllmc {

/// `x * cos + rotate_half(x) * sin` → `mllm.rotary_embedding` (remarks in
/// the category of `mllm-fuse-attention`, pattern `rotary_embedding`).
void populateFuseRotaryPatterns(mlir::RewritePatternSet &patterns);

} // namespace mllmc

#endif // MLLMC_PASSES_FUSION_ROTARYPATTERNS_H
