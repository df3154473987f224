// RUN: mllmc-opt --mllm-fuse-attention --split-input-file %s | FileCheck %s

// The layers around the core: head split/merge, rank-3 exports, GQA/MQA
// repeat_kv, RoPE.

// CLIP with bmm: heads flattened to [B*H, S, D] around the core, scale on
// the query projection. The attention works on the [B, H, S, D] heads; the
// split and merge reshapes/transposes stay around it.
// CHECK-LABEL: func.func @clip_rank3_heads
//  CHECK-SAME: (%[[QP:.*]]: tensor<1x4x32xf32>, %[[KP:.*]]: tensor<1x4x32xf32>, %[[VP:.*]]: tensor<1x4x32xf32>)
//   CHECK-DAG: %[[QR:.*]] = mllm.reshape %[[QP]] : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
//   CHECK-DAG: %[[Q:.*]] = mllm.transpose %[[QR]] permutation = [0, 2, 1, 3]
//   CHECK-DAG: %[[KR:.*]] = mllm.reshape %[[KP]] : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
//   CHECK-DAG: %[[K:.*]] = mllm.transpose %[[KR]] permutation = [0, 2, 1, 3]
//   CHECK-DAG: %[[VR:.*]] = mllm.reshape %[[VP]] : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
//   CHECK-DAG: %[[V:.*]] = mllm.transpose %[[VR]] permutation = [0, 2, 1, 3]
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32} : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
//       CHECK: %[[OT:.*]] = mllm.transpose %[[O]] permutation = [0, 2, 1, 3]
//       CHECK: %[[OUT:.*]] = mllm.reshape %[[OT]] : tensor<1x4x2x16xf32> -> tensor<1x4x32xf32>
//       CHECK: return %[[OUT]]
func.func @clip_rank3_heads(%qp: tensor<1x4x32xf32>, %kp: tensor<1x4x32xf32>, %vp: tensor<1x4x32xf32>) -> tensor<1x4x32xf32> {
  %c = mllm.constant dense<0.25> : tensor<f32>
  %qs = mllm.mul %qp, %c : (tensor<1x4x32xf32>, tensor<f32>) -> tensor<1x4x32xf32>
  %q4 = mllm.reshape %qs : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
  %qt = mllm.transpose %q4 permutation = [0, 2, 1, 3] : tensor<1x4x2x16xf32> -> tensor<1x2x4x16xf32>
  %q = mllm.reshape %qt : tensor<1x2x4x16xf32> -> tensor<2x4x16xf32>
  %k4 = mllm.reshape %kp : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
  %kt4 = mllm.transpose %k4 permutation = [0, 2, 1, 3] : tensor<1x4x2x16xf32> -> tensor<1x2x4x16xf32>
  %k = mllm.reshape %kt4 : tensor<1x2x4x16xf32> -> tensor<2x4x16xf32>
  %v4 = mllm.reshape %vp : tensor<1x4x32xf32> -> tensor<1x4x2x16xf32>
  %vt4 = mllm.transpose %v4 permutation = [0, 2, 1, 3] : tensor<1x4x2x16xf32> -> tensor<1x2x4x16xf32>
  %v = mllm.reshape %vt4 : tensor<1x2x4x16xf32> -> tensor<2x4x16xf32>
  %kt = mllm.transpose %k permutation = [0, 2, 1] : tensor<2x4x16xf32> -> tensor<2x16x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<2x4x16xf32>, tensor<2x16x4xf32>) -> tensor<2x4x4xf32>
  %p = mllm.softmax %s axis = 2 : tensor<2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  %o4 = mllm.reshape %o : tensor<2x4x16xf32> -> tensor<1x2x4x16xf32>
  %ot = mllm.transpose %o4 permutation = [0, 2, 1, 3] : tensor<1x2x4x16xf32> -> tensor<1x4x2x16xf32>
  %out = mllm.reshape %ot : tensor<1x4x2x16xf32> -> tensor<1x4x32xf32>
  return %out : tensor<1x4x32xf32>
}

// -----

// GQA: repeat_kv (Unsqueeze → Expand → Reshape; the importer writes Expand
// as a broadcasting multiply by ones) on key and value: num_kv_heads = 2
// with the unrepeated key and value.
// CHECK-LABEL: func.func @gqa_repeat_kv_expand
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x4x8x16xf32>, %[[K:.*]]: tensor<1x2x8x16xf32>, %[[V:.*]]: tensor<1x2x8x16xf32>)
//       CHECK: %[[O:.*]] = mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32} : (tensor<1x4x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) -> tensor<1x4x8x16xf32>
//   CHECK-NOT: mllm.mul
//   CHECK-NOT: mllm.reshape
//       CHECK: return %[[O]]
func.func @gqa_repeat_kv_expand(%q: tensor<1x4x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %ones = mllm.constant dense<1.0> : tensor<1x2x2x8x16xf32>
  %ku = mllm.reshape %k : tensor<1x2x8x16xf32> -> tensor<1x2x1x8x16xf32>
  %ke = mllm.mul %ku, %ones : (tensor<1x2x1x8x16xf32>, tensor<1x2x2x8x16xf32>) -> tensor<1x2x2x8x16xf32>
  %kr = mllm.reshape %ke : tensor<1x2x2x8x16xf32> -> tensor<1x4x8x16xf32>
  %vu = mllm.reshape %v : tensor<1x2x8x16xf32> -> tensor<1x2x1x8x16xf32>
  %ve = mllm.mul %ones, %vu : (tensor<1x2x2x8x16xf32>, tensor<1x2x1x8x16xf32>) -> tensor<1x2x2x8x16xf32>
  %vr = mllm.reshape %ve : tensor<1x2x2x8x16xf32> -> tensor<1x4x8x16xf32>
  %kt = mllm.transpose %kr permutation = [0, 1, 3, 2] : tensor<1x4x8x16xf32> -> tensor<1x4x16x8xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  %c = mllm.constant dense<4.0> : tensor<f32>
  %d = mllm.div %s, %c : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %p = mllm.softmax %d axis = 3 : tensor<1x4x8x8xf32>
  %o = mllm.matmul %p, %vr : (tensor<1x4x8x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %o : tensor<1x4x8x16xf32>
}

// -----

// repeat_kv as the importer writes Expand (x + zeros of the target shape)
// for the key and Tile (a Gather of index 0 on the unsqueezed axis) for the
// value.
// CHECK-LABEL: func.func @gqa_repeat_kv_add_zeros_and_tile
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x4x8x16xf32>, %[[K:.*]]: tensor<1x2x8x16xf32>, %[[V:.*]]: tensor<1x2x8x16xf32>)
//       CHECK: mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 1.000000e+00 : f32}
//   CHECK-NOT: mllm.gather
//   CHECK-NOT: mllm.add
func.func @gqa_repeat_kv_add_zeros_and_tile(%q: tensor<1x4x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %zeros = mllm.constant dense<0.0> : tensor<1x2x2x8x16xf32>
  %ku = mllm.reshape %k : tensor<1x2x8x16xf32> -> tensor<1x2x1x8x16xf32>
  %ke = mllm.add %ku, %zeros : (tensor<1x2x1x8x16xf32>, tensor<1x2x2x8x16xf32>) -> tensor<1x2x2x8x16xf32>
  %kr = mllm.reshape %ke : tensor<1x2x2x8x16xf32> -> tensor<1x4x8x16xf32>
  %idx = mllm.constant dense<[0, 0]> : tensor<2xi64>
  %vu = mllm.reshape %v : tensor<1x2x8x16xf32> -> tensor<1x2x1x8x16xf32>
  %ve = mllm.gather %vu[%idx] axis = 2 : (tensor<1x2x1x8x16xf32>, tensor<2xi64>) -> tensor<1x2x2x8x16xf32>
  %vr = mllm.reshape %ve : tensor<1x2x2x8x16xf32> -> tensor<1x4x8x16xf32>
  %kt = mllm.transpose %kr permutation = [0, 1, 3, 2] : tensor<1x4x8x16xf32> -> tensor<1x4x16x8xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x4x8x8xf32>
  %o = mllm.matmul %p, %vr : (tensor<1x4x8x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %o : tensor<1x4x8x16xf32>
}

// -----

// MQA with repeat_kv by concatenating copies (Tile-like): num_kv_heads = 1.
// CHECK-LABEL: func.func @mqa_repeat_kv_concat
//  CHECK-SAME: (%[[Q:.*]]: tensor<1x3x4x8xf32>, %[[K:.*]]: tensor<1x1x4x8xf32>, %[[V:.*]]: tensor<1x1x4x8xf32>)
//       CHECK: mllm.attention %[[Q]], %[[K]], %[[V]] {num_heads = 3 : i64, num_kv_heads = 1 : i64, scale = 1.000000e+00 : f32}
//   CHECK-NOT: mllm.concat
func.func @mqa_repeat_kv_concat(%q: tensor<1x3x4x8xf32>, %k: tensor<1x1x4x8xf32>, %v: tensor<1x1x4x8xf32>) -> tensor<1x3x4x8xf32> {
  %ku = mllm.reshape %k : tensor<1x1x4x8xf32> -> tensor<1x1x1x4x8xf32>
  %ke = mllm.concat %ku, %ku, %ku axis = 2 : (tensor<1x1x1x4x8xf32>, tensor<1x1x1x4x8xf32>, tensor<1x1x1x4x8xf32>) -> tensor<1x1x3x4x8xf32>
  %kr = mllm.reshape %ke : tensor<1x1x3x4x8xf32> -> tensor<1x3x4x8xf32>
  %vu = mllm.reshape %v : tensor<1x1x4x8xf32> -> tensor<1x1x1x4x8xf32>
  %ve = mllm.concat %vu, %vu, %vu axis = 2 : (tensor<1x1x1x4x8xf32>, tensor<1x1x1x4x8xf32>, tensor<1x1x1x4x8xf32>) -> tensor<1x1x3x4x8xf32>
  %vr = mllm.reshape %ve : tensor<1x1x3x4x8xf32> -> tensor<1x3x4x8xf32>
  %kt = mllm.transpose %kr permutation = [0, 1, 3, 2] : tensor<1x3x4x8xf32> -> tensor<1x3x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x3x4x8xf32>, tensor<1x3x8x4xf32>) -> tensor<1x3x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x3x4x4xf32>
  %o = mllm.matmul %p, %vr : (tensor<1x3x4x4xf32>, tensor<1x3x4x8xf32>) -> tensor<1x3x4x8xf32>
  return %o : tensor<1x3x4x8xf32>
}

// -----

// RoPE (rotate_half by Slice/Neg/Concat, cos/sin multiply-adds) on the
// query and key stays in front of the attention.
// CHECK-LABEL: func.func @rope_before_attention
//       CHECK: %[[QE:.*]] = mllm.add
//       CHECK: %[[KE:.*]] = mllm.add
//       CHECK: mllm.attention %[[QE]], %[[KE]], %{{[^ ]*}} {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32}
//   CHECK-NOT: mllm.softmax
func.func @rope_before_attention(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>, %cos: tensor<1x1x4x16xf32>, %sin: tensor<1x1x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %q1 = mllm.slice %q starts = [0, 0, 0, 0] ends = [1, 2, 4, 8] steps = [1, 1, 1, 1] : tensor<1x2x4x16xf32> -> tensor<1x2x4x8xf32>
  %q2 = mllm.slice %q starts = [0, 0, 0, 8] ends = [1, 2, 4, 16] steps = [1, 1, 1, 1] : tensor<1x2x4x16xf32> -> tensor<1x2x4x8xf32>
  %qn = mllm.neg %q2 : tensor<1x2x4x8xf32>
  %qr = mllm.concat %qn, %q1 axis = 3 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x16xf32>
  %qc = mllm.mul %q, %cos : (tensor<1x2x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x2x4x16xf32>
  %qs = mllm.mul %qr, %sin : (tensor<1x2x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x2x4x16xf32>
  %qe = mllm.add %qc, %qs : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  %k1 = mllm.slice %k starts = [0, 0, 0, 0] ends = [1, 2, 4, 8] steps = [1, 1, 1, 1] : tensor<1x2x4x16xf32> -> tensor<1x2x4x8xf32>
  %k2 = mllm.slice %k starts = [0, 0, 0, 8] ends = [1, 2, 4, 16] steps = [1, 1, 1, 1] : tensor<1x2x4x16xf32> -> tensor<1x2x4x8xf32>
  %kn = mllm.neg %k2 : tensor<1x2x4x8xf32>
  %kr = mllm.concat %kn, %k1 axis = 3 : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x16xf32>
  %kc = mllm.mul %k, %cos : (tensor<1x2x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x2x4x16xf32>
  %ks = mllm.mul %kr, %sin : (tensor<1x2x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x2x4x16xf32>
  %ke = mllm.add %kc, %ks : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  %kt = mllm.transpose %ke permutation = [0, 1, 3, 2] : tensor<1x2x4x16xf32> -> tensor<1x2x16x4xf32>
  %s = mllm.matmul %qe, %kt : (tensor<1x2x4x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x4x4xf32>
  %c = mllm.constant dense<4.0> : tensor<f32>
  %d = mllm.div %s, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %d axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %o : tensor<1x2x4x16xf32>
}
