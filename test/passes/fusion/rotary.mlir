// RUN: mllmc-opt --mllm-fuse-attention --split-input-file %s | FileCheck %s
// RUN: mllmc-opt --mllm-fuse-attention --split-input-file --remarks-filter-missed=mllm-fuse-attention %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=WHY

// Rotate-half RoPE, `x * cos + rotate_half(x) * sin` with
// rotate_half(x) = Concat(Neg(x[..., h:]), x[..., :h]), becomes
// mllm.rotary_embedding. Its caches are the first halves of cos and sin,
// which must repeat them in their second halves.

// HF LLaMA with angles computed in the graph: emb = cat(freqs, freqs).
// CHECK-LABEL: func.func @llama_computed_angles
//       CHECK: %[[COS:.*]] = mllm.cos
//       CHECK: %[[SIN:.*]] = mllm.sin
//       CHECK: %[[C0:.*]] = mllm.slice %[[COS]] starts = [0, 0, 0, 0] ends = [1, 1, 4, 4] steps = [1, 1, 1, 1]
//       CHECK: %[[C:.*]] = mllm.reshape %[[C0]] : tensor<1x1x4x4xf32> -> tensor<4x4xf32>
//       CHECK: %[[S0:.*]] = mllm.slice %[[SIN]]
//       CHECK: %[[S:.*]] = mllm.reshape %[[S0]] : tensor<1x1x4x4xf32> -> tensor<4x4xf32>
//       CHECK: %[[Y:.*]] = mllm.rotary_embedding %arg0, %[[C]], %[[S]] : (tensor<1x2x4x8xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<1x2x4x8xf32>
//   CHECK-NOT: mllm.concat
//       CHECK: return %[[Y]]
func.func @llama_computed_angles(%x: tensor<1x2x4x8xf32>, %freqs: tensor<1x4x4xf32>) -> tensor<1x2x4x8xf32> {
  %emb = mllm.concat %freqs, %freqs axis = 2 : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x8xf32>
  %e4 = mllm.reshape %emb : tensor<1x4x8xf32> -> tensor<1x1x4x8xf32>
  %cos = mllm.cos %e4 : tensor<1x1x4x8xf32>
  %sin = mllm.sin %e4 : tensor<1x1x4x8xf32>
  %hi = mllm.slice %x starts = [0, 0, 0, 4] ends = [1, 2, 4, 8] steps = [1, 1, 1, 1] : tensor<1x2x4x8xf32> -> tensor<1x2x4x4xf32>
  %lo = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 4, 4] steps = [1, 1, 1, 1] : tensor<1x2x4x8xf32> -> tensor<1x2x4x4xf32>
  %neg = mllm.neg %hi : tensor<1x2x4x4xf32>
  %rot = mllm.concat %neg, %lo axis = 3 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x8xf32>
  %a = mllm.mul %x, %cos : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %b = mllm.mul %rot, %sin : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %y = mllm.add %a, %b : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %y : tensor<1x2x4x8xf32>
}

// -----

// Operands the other way round, Neg before the Slice, and constant [S, D]
// caches (what the exporters fold them to) repeating their halves.
// CHECK-LABEL: func.func @swapped_operands_neg_first
//       CHECK: %[[Y:.*]] = mllm.rotary_embedding %arg0, %{{.*}}, %{{.*}} : (tensor<1x2x2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2x4xf32>
//   CHECK-NOT: mllm.neg
//       CHECK: return %[[Y]]
func.func @swapped_operands_neg_first(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %cos = mllm.constant dense<[[1.0, 0.5, 1.0, 0.5], [0.25, 0.75, 0.25, 0.75]]> : tensor<2x4xf32>
  %sin = mllm.constant dense<[[0.0, 0.5, 0.0, 0.5], [0.5, 0.25, 0.5, 0.25]]> : tensor<2x4xf32>
  %nx = mllm.neg %x : tensor<1x2x2x4xf32>
  %hi = mllm.slice %nx starts = [0, 0, 0, 2] ends = [1, 2, 2, 4] steps = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %lo = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 2, 2] steps = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %rot = mllm.concat %hi, %lo axis = 3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %a = mllm.mul %cos, %x : (tensor<2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %b = mllm.mul %sin, %rot : (tensor<2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = mllm.add %b, %a : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// Caches per batch ([B, 1, S, D]) become [B, S, h].
// CHECK-LABEL: func.func @per_batch_angles
//       CHECK: mllm.rotary_embedding %arg0, %{{.*}}, %{{.*}} : (tensor<2x2x4x8xf32>, tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x2x4x8xf32>
func.func @per_batch_angles(%x: tensor<2x2x4x8xf32>, %freqs: tensor<2x1x4x4xf32>) -> tensor<2x2x4x8xf32> {
  %emb = mllm.concat %freqs, %freqs axis = 3 : (tensor<2x1x4x4xf32>, tensor<2x1x4x4xf32>) -> tensor<2x1x4x8xf32>
  %cos = mllm.cos %emb : tensor<2x1x4x8xf32>
  %sin = mllm.sin %emb : tensor<2x1x4x8xf32>
  %hi = mllm.slice %x starts = [0, 0, 0, 4] ends = [2, 2, 4, 8] steps = [1, 1, 1, 1] : tensor<2x2x4x8xf32> -> tensor<2x2x4x4xf32>
  %lo = mllm.slice %x starts = [0, 0, 0, 0] ends = [2, 2, 4, 4] steps = [1, 1, 1, 1] : tensor<2x2x4x8xf32> -> tensor<2x2x4x4xf32>
  %neg = mllm.neg %hi : tensor<2x2x4x4xf32>
  %rot = mllm.concat %neg, %lo axis = 3 : (tensor<2x2x4x4xf32>, tensor<2x2x4x4xf32>) -> tensor<2x2x4x8xf32>
  %a = mllm.mul %x, %cos : (tensor<2x2x4x8xf32>, tensor<2x1x4x8xf32>) -> tensor<2x2x4x8xf32>
  %b = mllm.mul %rot, %sin : (tensor<2x2x4x8xf32>, tensor<2x1x4x8xf32>) -> tensor<2x2x4x8xf32>
  %y = mllm.add %a, %b : (tensor<2x2x4x8xf32>, tensor<2x2x4x8xf32>) -> tensor<2x2x4x8xf32>
  return %y : tensor<2x2x4x8xf32>
}

// -----

// Near miss: the halves are split at 3, not at D / 2.
// CHECK-LABEL: func.func @wrong_split_point
//   CHECK-NOT: mllm.rotary_embedding
// WHY: remark: loc("/rope/Concat"): [Missed] rotary_embedding | Category:mllm-fuse-attention | Function=wrong_split_point | Reason="not a rotary embedding: the halves are split at 3, not at D / 2 = 4"
func.func @wrong_split_point(%x: tensor<1x2x4x8xf32>, %freqs: tensor<1x1x4x4xf32>) -> tensor<1x2x4x8xf32> {
  %emb = mllm.concat %freqs, %freqs axis = 3 : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x8xf32>
  %cos = mllm.cos %emb : tensor<1x1x4x8xf32>
  %sin = mllm.sin %emb : tensor<1x1x4x8xf32>
  %hi = mllm.slice %x starts = [0, 0, 0, 3] ends = [1, 2, 4, 8] steps = [1, 1, 1, 1] : tensor<1x2x4x8xf32> -> tensor<1x2x4x5xf32>
  %lo = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 4, 3] steps = [1, 1, 1, 1] : tensor<1x2x4x8xf32> -> tensor<1x2x4x3xf32>
  %neg = mllm.neg %hi : tensor<1x2x4x5xf32>
  %rot = mllm.concat %neg, %lo axis = 3 : (tensor<1x2x4x5xf32>, tensor<1x2x4x3xf32>) -> tensor<1x2x4x8xf32> loc("/rope/Concat")
  %a = mllm.mul %x, %cos : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %b = mllm.mul %rot, %sin : (tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x2x4x8xf32>
  %y = mllm.add %a, %b : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %y : tensor<1x2x4x8xf32>
}

// -----

// Near miss: the rotation swaps the halves of the tokens (axis 2), not of
// the head elements.
// CHECK-LABEL: func.func @not_last_axis
//   CHECK-NOT: mllm.rotary_embedding
// WHY: Function=not_last_axis | Reason="not a rotary embedding: rotate_half concatenates along axis 2, not the last axis"
func.func @not_last_axis(%x: tensor<1x2x8x8xf32>, %cos: tensor<1x1x8x8xf32>, %sin: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %hi = mllm.slice %x starts = [0, 0, 4, 0] ends = [1, 2, 8, 8] steps = [1, 1, 1, 1] : tensor<1x2x8x8xf32> -> tensor<1x2x4x8xf32>
  %lo = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 4, 8] steps = [1, 1, 1, 1] : tensor<1x2x8x8xf32> -> tensor<1x2x4x8xf32>
  %neg = mllm.neg %hi : tensor<1x2x4x8xf32>
  %rot = mllm.concat %neg, %lo axis = 2 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %a = mllm.mul %x, %cos : (tensor<1x2x8x8xf32>, tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32>
  %b = mllm.mul %rot, %sin : (tensor<1x2x8x8xf32>, tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32>
  %y = mllm.add %a, %b : (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %y : tensor<1x2x8x8xf32>
}

// -----

// Near miss: a constant cos whose halves differ has two angles per pair,
// which mllm.rotary_embedding cannot express.
// CHECK-LABEL: func.func @cos_halves_differ
//   CHECK-NOT: mllm.rotary_embedding
// WHY: Function=cos_halves_differ | Reason="not a rotary embedding: cos does not repeat its first half in its second on the last axis (one angle per pair of elements)"
func.func @cos_halves_differ(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %cos = mllm.constant dense<[[1.0, 0.5, 1.0, 0.25], [0.25, 0.75, 0.25, 0.75]]> : tensor<2x4xf32>
  %sin = mllm.constant dense<[[0.0, 0.5, 0.0, 0.5], [0.5, 0.25, 0.5, 0.25]]> : tensor<2x4xf32>
  %hi = mllm.slice %x starts = [0, 0, 0, 2] ends = [1, 2, 2, 4] steps = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %lo = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 2, 2] steps = [1, 1, 1, 1] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %neg = mllm.neg %hi : tensor<1x2x2x2xf32>
  %rot = mllm.concat %neg, %lo axis = 3 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %a = mllm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %b = mllm.mul %rot, %sin : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = mllm.add %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// The interleaved form (GPT-J rotate_every_two): the odd elements negated and
// the even ones, stacked in pairs and flattened; cos and sin repeat each
// angle for a pair of neighbours. The caches are their even elements.
// CHECK-LABEL: func.func @interleaved
//       CHECK: %[[C:.*]] = mllm.slice %{{.*}} starts = [0, 0] ends = [2, 4] steps = [1, 2] : tensor<2x4xf32> -> tensor<2x2xf32>
//       CHECK: %[[Y:.*]] = mllm.rotary_embedding %arg0, %[[C]], %{{.*}} interleaved : (tensor<1x2x2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2x4xf32>
//       CHECK: return %[[Y]]
func.func @interleaved(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %cos = mllm.constant dense<[[1.0, 1.0, 0.5, 0.5], [0.25, 0.25, 0.75, 0.75]]> : tensor<2x4xf32>
  %sin = mllm.constant dense<[[0.0, 0.0, 0.5, 0.5], [0.5, 0.5, 0.25, 0.25]]> : tensor<2x4xf32>
  %odd = mllm.slice %x starts = [0, 0, 0, 1] ends = [1, 2, 2, 4] steps = [1, 1, 1, 2] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %even = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 2, 4] steps = [1, 1, 1, 2] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %neg = mllm.neg %odd : tensor<1x2x2x2xf32>
  %n5 = mllm.reshape %neg : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x1xf32>
  %e5 = mllm.reshape %even : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x1xf32>
  %pairs = mllm.concat %n5, %e5 axis = 4 : (tensor<1x2x2x2x1xf32>, tensor<1x2x2x2x1xf32>) -> tensor<1x2x2x2x2xf32>
  %rot = mllm.reshape %pairs : tensor<1x2x2x2x2xf32> -> tensor<1x2x2x4xf32>
  %a = mllm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %b = mllm.mul %rot, %sin : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = mllm.add %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// -----

// Near miss: interleaved, but cos has a different angle for each element of a
// pair.
// CHECK-LABEL: func.func @interleaved_cos_not_paired
//   CHECK-NOT: mllm.rotary_embedding
// WHY: Function=interleaved_cos_not_paired | Reason="not a rotary embedding: cos is not a constant that repeats each angle for a pair of neighbours on the last axis"
func.func @interleaved_cos_not_paired(%x: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %cos = mllm.constant dense<[[1.0, 0.5, 1.0, 0.5], [0.25, 0.75, 0.25, 0.75]]> : tensor<2x4xf32>
  %sin = mllm.constant dense<[[0.0, 0.0, 0.5, 0.5], [0.5, 0.5, 0.25, 0.25]]> : tensor<2x4xf32>
  %odd = mllm.slice %x starts = [0, 0, 0, 1] ends = [1, 2, 2, 4] steps = [1, 1, 1, 2] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %even = mllm.slice %x starts = [0, 0, 0, 0] ends = [1, 2, 2, 4] steps = [1, 1, 1, 2] : tensor<1x2x2x4xf32> -> tensor<1x2x2x2xf32>
  %neg = mllm.neg %odd : tensor<1x2x2x2xf32>
  %n5 = mllm.reshape %neg : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x1xf32>
  %e5 = mllm.reshape %even : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x1xf32>
  %pairs = mllm.concat %n5, %e5 axis = 4 : (tensor<1x2x2x2x1xf32>, tensor<1x2x2x2x1xf32>) -> tensor<1x2x2x2x2xf32>
  %rot = mllm.reshape %pairs : tensor<1x2x2x2x2xf32> -> tensor<1x2x2x4xf32>
  %a = mllm.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %b = mllm.mul %rot, %sin : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %y = mllm.add %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}
