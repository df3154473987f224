// RUN: mllmc-opt --mllm-fuse-attention --split-input-file %s | FileCheck %s

// The core layer: MatMul(Q, Kᵀ) → scale → [mask] → Softmax → MatMul(·, V)
// becomes one mllm.attention, in each scaling and masking variant.

// LLaMA (transformers < 4.48): scores / sqrt(head_dim) after QKᵀ.
// CHECK-LABEL: func.func @div_after_qk
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x4x8x16xf32>, %[[K:.*]]: tensor<1x4x8x16xf32>, %[[V:.*]]: tensor<1x4x8x16xf32>)
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 2.500000e-01 : f32} : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
//   CHECK-NOT: mllm.softmax
//   CHECK-NOT: mllm.matmul
//       CHECK: return %[[O]]
func.func @div_after_qk(%q: tensor<1x4x8x16xf32>, %k: tensor<1x4x8x16xf32>, %v: tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x4x8x16xf32> -> tensor<1x4x16x8xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  %c = mllm.constant dense<4.0> : tensor<f32>
  %d = mllm.div %s, %c : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %p = mllm.softmax %d axis = 3 : tensor<1x4x8x8xf32>
  %o = mllm.matmul %p, %v : (tensor<1x4x8x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %o : tensor<1x4x8x16xf32>
}

// -----

// Newer LLaMA: constant * scores (commuted Mul), Dv != D, Skv != Sq.
// CHECK-LABEL: func.func @mul_before_scores
//  CHECK-SAME: (%[[Q:.*]]: tensor<2x4x3x16xf32>, %[[K:.*]]: tensor<2x4x5x16xf32>, %[[V:.*]]: tensor<2x4x5x8xf32>)
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 1.250000e-01 : f32} : (tensor<2x4x3x16xf32>, tensor<2x4x5x16xf32>, tensor<2x4x5x8xf32>) -> tensor<2x4x3x8xf32>
//   CHECK-NOT: mllm.softmax
//       CHECK: return %[[O]]
func.func @mul_before_scores(%q: tensor<2x4x3x16xf32>, %k: tensor<2x4x5x16xf32>, %v: tensor<2x4x5x8xf32>) -> tensor<2x4x3x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<2x4x5x16xf32> -> tensor<2x4x16x5xf32>
  %s = mllm.matmul %q, %kt : (tensor<2x4x3x16xf32>, tensor<2x4x16x5xf32>) -> tensor<2x4x3x5xf32>
  %c = mllm.constant dense<0.125> : tensor<f32>
  %d = mllm.mul %c, %s : (tensor<f32>, tensor<2x4x3x5xf32>) -> tensor<2x4x3x5xf32>
  %p = mllm.softmax %d axis = 3 : tensor<2x4x3x5xf32>
  %o = mllm.matmul %p, %v : (tensor<2x4x3x5xf32>, tensor<2x4x5x8xf32>) -> tensor<2x4x3x8xf32>
  return %o : tensor<2x4x3x8xf32>
}

// -----

// No scale at all, and a key given already transposed (GPT-2 style
// permute(0, 2, 3, 1) of [B, S, H, D]): the key becomes the head transpose.
// CHECK-LABEL: func.func @pretransposed_key_no_scale
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x2x4x8xf32>, %[[KX:.*]]: tensor<1x4x2x8xf32>, %[[V:.*]]: tensor<1x2x4x8xf32>)
//       CHECK: %[[K:.*]] = mllm.transpose %[[KX]] permutation = [0, 2, 1, 3] : tensor<1x4x2x8xf32> -> tensor<1x2x4x8xf32>
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.000000e+00 : f32}
//   CHECK-NOT: mllm.softmax
//       CHECK: return %[[O]]
func.func @pretransposed_key_no_scale(%q: tensor<1x2x4x8xf32>, %kx: tensor<1x4x2x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %kx permutation = [0, 2, 3, 1] : tensor<1x4x2x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// An additive mask (a model input, e.g. padding), mask + scores commuted.
// CHECK-LABEL: func.func @additive_mask
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x2x4x8xf32>, %[[K:.*]]: tensor<1x2x4x8xf32>, %[[V:.*]]: tensor<1x2x4x8xf32>, %[[M:.*]]: tensor<1x1x1x4xf32>)
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] mask %[[M]] {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.353553385 : f32}
//   CHECK-NOT: mllm.softmax
//       CHECK: return %[[O]]
func.func @additive_mask(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<1x1x1x4xf32>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %c = mllm.constant dense<2.82842708> : tensor<f32>
  %d = mllm.div %s, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %a = mllm.add %m, %d : (tensor<1x1x1x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Boolean masks: Where(m, scores, -inf) keeps m (true = attend);
// Where(m, large negative, scores) (true = masked) negates it.
// CHECK-LABEL: func.func @boolean_mask
//  CHECK-SAME: %[[M:[^:]*]]: tensor<4x4xi1>
//       CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} mask %[[M]] {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.000000e+00 : f32}
//   CHECK-NOT: mllm.softmax
// CHECK-LABEL: func.func @negated_boolean_mask
//  CHECK-SAME: %[[M:[^:]*]]: tensor<4x4xi1>
//       CHECK: %[[N:.*]] = mllm.not %[[M]] : tensor<4x4xi1>
//       CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} mask %[[N]]
//   CHECK-NOT: mllm.softmax
func.func @boolean_mask(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<4x4xi1>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %ninf = mllm.constant dense<0xFF800000> : tensor<f32>
  %w = mllm.select %m, %s, %ninf : (tensor<4x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %w axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
func.func @negated_boolean_mask(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<4x4xi1>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %big = mllm.constant dense<-3.40282347E+38> : tensor<f32>
  %w = mllm.select %m, %big, %s : (tensor<4x4xi1>, tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %w axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// A boolean and an additive mask together: the boolean one becomes additive
// (0 / -inf) and they add up.
// CHECK-LABEL: func.func @mixed_masks
//  CHECK-SAME: %[[B:[^:]*]]: tensor<4x4xi1>, %[[F:[^:]*]]: tensor<1x1x1x4xf32>
//   CHECK-DAG: %[[ZERO:.*]] = mllm.constant dense<0.000000e+00> : tensor<f32>
//   CHECK-DAG: %[[NINF:.*]] = mllm.constant dense<0xFF800000> : tensor<f32>
//       CHECK: %[[BF:.*]] = mllm.select %[[B]], %[[ZERO]], %[[NINF]]
//       CHECK: %[[M:.*]] = mllm.add %[[F]], %[[BF]] : (tensor<1x1x1x4xf32>, tensor<4x4xf32>) -> tensor<1x1x4x4xf32>
//       CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} mask %[[M]]
//   CHECK-NOT: mllm.softmax
func.func @mixed_masks(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %b: tensor<4x4xi1>, %f: tensor<1x1x1x4xf32>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %ninf = mllm.constant dense<-1.0e9> : tensor<f32>
  %w = mllm.select %b, %s, %ninf : (tensor<4x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %a = mllm.add %w, %f : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Rank 3 [B*H, S, D] without a head split to recover: viewed as
// [B*H, 1, S, D] with one head, reshaped in and out; a rank-3 mask too.
// CHECK-LABEL: func.func @rank3
//  CHECK-SAME: (%[[Q:.*]]: tensor<8x4x16xf32>, %[[K:.*]]: tensor<8x6x16xf32>, %[[V:.*]]: tensor<8x6x16xf32>, %[[M:.*]]: tensor<1x4x6xf32>)
//   CHECK-DAG: %[[Q4:.*]] = mllm.reshape %[[Q]] : tensor<8x4x16xf32> -> tensor<8x1x4x16xf32>
//   CHECK-DAG: %[[K4:.*]] = mllm.reshape %[[K]] : tensor<8x6x16xf32> -> tensor<8x1x6x16xf32>
//   CHECK-DAG: %[[V4:.*]] = mllm.reshape %[[V]] : tensor<8x6x16xf32> -> tensor<8x1x6x16xf32>
//   CHECK-DAG: %[[M4:.*]] = mllm.reshape %[[M]] : tensor<1x4x6xf32> -> tensor<1x1x4x6xf32>
//       CHECK: %[[O4:.*]] = mllm.attention %[[Q4]], %[[K4]], %[[V4]] mask %[[M4]] {num_heads = 1 : i64, num_kv_heads = 1 : i64, scale = 2.500000e-01 : f32}
//       CHECK: %[[O:.*]] = mllm.reshape %[[O4]] : tensor<8x1x4x16xf32> -> tensor<8x4x16xf32>
//   CHECK-NOT: mllm.softmax
//       CHECK: return %[[O]]
func.func @rank3(%q: tensor<8x4x16xf32>, %k: tensor<8x6x16xf32>, %v: tensor<8x6x16xf32>, %m: tensor<1x4x6xf32>) -> tensor<8x4x16xf32> {
  %kt = mllm.transpose %k permutation = [0, 2, 1] : tensor<8x6x16xf32> -> tensor<8x16x6xf32>
  %s = mllm.matmul %q, %kt : (tensor<8x4x16xf32>, tensor<8x16x6xf32>) -> tensor<8x4x6xf32>
  %c = mllm.constant dense<0.25> : tensor<f32>
  %d = mllm.mul %s, %c : (tensor<8x4x6xf32>, tensor<f32>) -> tensor<8x4x6xf32>
  %a = mllm.add %d, %m : (tensor<8x4x6xf32>, tensor<1x4x6xf32>) -> tensor<8x4x6xf32>
  %p = mllm.softmax %a axis = 2 : tensor<8x4x6xf32>
  %o = mllm.matmul %p, %v : (tensor<8x4x6xf32>, tensor<8x6x16xf32>) -> tensor<8x4x16xf32>
  return %o : tensor<8x4x16xf32>
}

// -----

// f16 with the softmax in f32 (softmax(dtype=float32).to(f16)): the casts
// around the softmax are absorbed.
// CHECK-LABEL: func.func @f16_softmax_in_f32
//       CHECK: %[[O:.*]] = mllm.attention %{{.*}} : (tensor<1x2x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x2x4x8xf16>, tensor<1x1x4x4xf16>) -> tensor<1x2x4x8xf16>
//   CHECK-NOT: mllm.softmax
//   CHECK-NOT: mllm.cast
//       CHECK: return %[[O]]
func.func @f16_softmax_in_f32(%q: tensor<1x2x4x8xf16>, %k: tensor<1x2x4x8xf16>, %v: tensor<1x2x4x8xf16>, %m: tensor<1x1x4x4xf16>) -> tensor<1x2x4x8xf16> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf16> -> tensor<1x2x8x4xf16>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf16>, tensor<1x2x8x4xf16>) -> tensor<1x2x4x4xf16>
  %c = mllm.constant dense<2.828> : tensor<f16>
  %d = mllm.div %s, %c : (tensor<1x2x4x4xf16>, tensor<f16>) -> tensor<1x2x4x4xf16>
  %a = mllm.add %d, %m : (tensor<1x2x4x4xf16>, tensor<1x1x4x4xf16>) -> tensor<1x2x4x4xf16>
  %up = mllm.cast %a : tensor<1x2x4x4xf16> to tensor<1x2x4x4xf32>
  %p = mllm.softmax %up axis = 3 : tensor<1x2x4x4xf32>
  %down = mllm.cast %p : tensor<1x2x4x4xf32> to tensor<1x2x4x4xf16>
  %o = mllm.matmul %down, %v : (tensor<1x2x4x4xf16>, tensor<1x2x4x8xf16>) -> tensor<1x2x4x8xf16>
  return %o : tensor<1x2x4x8xf16>
}

// -----

// MQA by broadcasting: one key/value head shared by every query head.
// CHECK-LABEL: func.func @mqa_broadcast
//       CHECK: mllm.attention %{{.*}} {num_heads = 4 : i64, num_kv_heads = 1 : i64, scale = 2.500000e-01 : f32} : (tensor<1x4x3x16xf32>, tensor<1x1x5x16xf32>, tensor<1x1x5x16xf32>) -> tensor<1x4x3x16xf32>
//   CHECK-NOT: mllm.softmax
func.func @mqa_broadcast(%q: tensor<1x4x3x16xf32>, %k: tensor<1x1x5x16xf32>, %v: tensor<1x1x5x16xf32>) -> tensor<1x4x3x16xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x1x5x16xf32> -> tensor<1x1x16x5xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x4x3x16xf32>, tensor<1x1x16x5xf32>) -> tensor<1x4x3x5xf32>
  %c = mllm.constant dense<4.0> : tensor<f32>
  %d = mllm.div %s, %c : (tensor<1x4x3x5xf32>, tensor<f32>) -> tensor<1x4x3x5xf32>
  %p = mllm.softmax %d axis = 3 : tensor<1x4x3x5xf32>
  %o = mllm.matmul %p, %v : (tensor<1x4x3x5xf32>, tensor<1x1x5x16xf32>) -> tensor<1x4x3x16xf32>
  return %o : tensor<1x4x3x16xf32>
}
