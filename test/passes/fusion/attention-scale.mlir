// RUN: mllmc-opt --mllm-fuse-attention --split-input-file %s | FileCheck %s

// The scale layer: a constant factor on the query or key, before the head
// reshape/transpose, moves into the attention's scale.

// CLIP: q_proj(x) * D^-0.5, then the head split.
// CHECK-LABEL: func.func @scale_folded_into_query
//  CHECK-SAME: (%[[QP:.*]]: tensor<1x4x32xf32>, %[[K:.*]]: tensor<1x2x4x16xf32>, %[[V:.*]]: tensor<1x2x4x16xf32>)
//       CHECK: %[[QR:.*]] = mllm.reshape %[[QP]] : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
//       CHECK: %[[Q:.*]] = mllm.transpose %[[QR]] permutation = [0, 2, 1, 3]
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32}
//   CHECK-NOT: mllm.mul
//   CHECK-NOT: mllm.softmax
//       CHECK: return %[[O]]
func.func @scale_folded_into_query(%qp: tensor<1x4x32xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %c = mllm.constant dense<0.25> : tensor<f32>
  %qs = mllm.mul %qp, %c : (tensor<1x4x32xf32>, tensor<f32>) -> tensor<1x4x32xf32>
  %qr = mllm.reshape %qs : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
  %q = mllm.transpose %qr permutation = [0, 2, 1, 3] : tensor<1x4x2x16xf32> -> tensor<1x2x4x16xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x16xf32> -> tensor<1x2x16x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %o : tensor<1x2x4x16xf32>
}

// -----

// The SDPA export: sqrt(scale) on Q and on Kᵀ.
// CHECK-LABEL: func.func @sqrt_scale_split
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x2x4x16xf32>, %[[K:.*]]: tensor<1x2x4x16xf32>, %[[V:.*]]: tensor<1x2x4x16xf32>)
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32}
//   CHECK-NOT: mllm.mul
//   CHECK-NOT: mllm.transpose
//       CHECK: return %[[O]]
func.func @sqrt_scale_split(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %c = mllm.constant dense<0.5> : tensor<f32>
  %qs = mllm.mul %q, %c : (tensor<1x2x4x16xf32>, tensor<f32>) -> tensor<1x2x4x16xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x16xf32> -> tensor<1x2x16x4xf32>
  %kts = mllm.mul %kt, %c : (tensor<1x2x16x4xf32>, tensor<f32>) -> tensor<1x2x16x4xf32>
  %s = mllm.matmul %qs, %kts : (tensor<1x2x4x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %o : tensor<1x2x4x16xf32>
}

// -----

// A scaled query that is used elsewhere too stays the operand (folding the
// factor would duplicate the head transpose); the attention is still fused.
// CHECK-LABEL: func.func @scaled_query_with_other_use
//       CHECK: %[[QS:.*]] = mllm.mul
//       CHECK: mllm.attention %[[QS]], %{{.*}}, %{{.*}} {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.000000e+00 : f32}
//   CHECK-NOT: mllm.softmax
func.func @scaled_query_with_other_use(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>) -> (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) {
  %c = mllm.constant dense<0.25> : tensor<f32>
  %qs = mllm.mul %q, %c : (tensor<1x2x4x16xf32>, tensor<f32>) -> tensor<1x2x4x16xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x16xf32> -> tensor<1x2x16x4xf32>
  %s = mllm.matmul %qs, %kt : (tensor<1x2x4x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %o, %qs : tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>
}
