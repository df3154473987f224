// RUN: mllmc-opt --mllm-fuse-attention --split-input-file %s | FileCheck %s

// The mask layer: constant masks that equal the bottom-right causal triangle
// become `causal`; other masks stay.

// A triangle of finfo.min given as a constant (constant-folded export).
// CHECK-LABEL: func.func @constant_triangle
//       CHECK: %[[O:.*]] = mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.000000e+00 : f32}
//   CHECK-NOT: mllm.softmax
//   CHECK-NOT: mllm.constant
//       CHECK: return %[[O]]
func.func @constant_triangle(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %m = mllm.constant dense<[[[[0.0, -3.40282347E+38, -3.40282347E+38, -3.40282347E+38], [0.0, 0.0, -3.40282347E+38, -3.40282347E+38], [0.0, 0.0, 0.0, -3.40282347E+38], [0.0, 0.0, 0.0, 0.0]]]]> : tensor<1x1x4x4xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %a = mllm.add %s, %m : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// A boolean lower triangle in Where(mask, scores, -inf).
// CHECK-LABEL: func.func @boolean_triangle
//       CHECK: mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} {causal,
//   CHECK-NOT: mllm.select
//   CHECK-NOT: mllm.softmax
func.func @boolean_triangle(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %m = mllm.constant dense<[[true, false, false], [true, true, false], [true, true, true]]> : tensor<3x3xi1>
  %ninf = mllm.constant dense<0xFF800000> : tensor<f32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %w = mllm.select %m, %s, %ninf : (tensor<3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %p = mllm.softmax %w axis = 3 : tensor<1x2x3x3xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// transformers' _make_causal_mask as imported: Range, Add, Reshape, Less,
// Where(cond, 0, finfo.min), Unsqueeze.
// CHECK-LABEL: func.func @computed_triangle
//       CHECK: %[[O:.*]] = mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 2.500000e-01 : f32}
//   CHECK-NOT: mllm.cmp
//   CHECK-NOT: mllm.softmax
//       CHECK: return %[[O]]
func.func @computed_triangle(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  %full = mllm.constant dense<-3.40282347E+38> : tensor<4x4xf32>
  %cond = mllm.constant dense<[0, 1, 2, 3]> : tensor<4xi64>
  %one = mllm.constant dense<1> : tensor<i64>
  %next = mllm.add %cond, %one : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %column = mllm.reshape %next : tensor<4xi64> -> tensor<4x1xi64>
  %less = mllm.cmp lt, %cond, %column : (tensor<4xi64>, tensor<4x1xi64>) -> tensor<4x4xi1>
  %zero = mllm.constant dense<0.0> : tensor<f32>
  %mask = mllm.select %less, %zero, %full : (tensor<4x4xi1>, tensor<f32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = mllm.reshape %mask : tensor<4x4xf32> -> tensor<1x1x4x4xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x16xf32> -> tensor<1x2x16x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x4x4xf32>
  %c = mllm.constant dense<4.0> : tensor<f32>
  %d = mllm.div %s, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %a = mllm.add %d, %m : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %o : tensor<1x2x4x16xf32>
}

// -----

// Newer transformers: torch.triu(full(finfo.min), diagonal=1), imported from
// Trilu as a select of a boolean triangle, and rows picked by cache position
// (a Gather): still the causal triangle.
// CHECK-LABEL: func.func @trilu_gathered_rows
//       CHECK: mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} {causal, num_heads = 2 : i64
//   CHECK-NOT: mllm.gather
//   CHECK-NOT: mllm.softmax
func.func @trilu_gathered_rows(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %full = mllm.constant dense<-3.40282347E+38> : tensor<3x3xf32>
  %upper = mllm.constant dense<[[false, true, true], [false, false, true], [false, false, false]]> : tensor<3x3xi1>
  %zero = mllm.constant dense<0.0> : tensor<f32>
  %triu = mllm.select %upper, %full, %zero : (tensor<3x3xi1>, tensor<3x3xf32>, tensor<f32>) -> tensor<3x3xf32>
  %rows = mllm.constant dense<[0, 1, -1]> : tensor<3xi64>
  %m = mllm.gather %triu[%rows] axis = 0 : (tensor<3x3xf32>, tensor<3xi64>) -> tensor<3x3xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %a = mllm.add %s, %m : (tensor<1x2x3x3xf32>, tensor<3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x3x3xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// KV cache: the key and value are concat(past, new) on the sequence axis;
// the mask [Sq = 2, Skv = 5] lets row i see keys j <= i + 3 (bottom-right):
// causal, with the concatenations as key and value.
// CHECK-LABEL: func.func @kv_cache_bottom_right
//       CHECK: %[[K:.*]] = mllm.concat
//       CHECK: %[[V:.*]] = mllm.concat
//       CHECK: mllm.attention %{{[^ ]*}}, %[[K]], %[[V]] {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.000000e+00 : f32} : (tensor<1x2x2x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>) -> tensor<1x2x2x8xf32>
//   CHECK-NOT: mllm.softmax
func.func @kv_cache_bottom_right(%q: tensor<1x2x2x8xf32>, %pk: tensor<1x2x3x8xf32>, %k: tensor<1x2x2x8xf32>, %pv: tensor<1x2x3x8xf32>, %v: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %kk = mllm.concat %pk, %k axis = 2 : (tensor<1x2x3x8xf32>, tensor<1x2x2x8xf32>) -> tensor<1x2x5x8xf32>
  %vv = mllm.concat %pv, %v axis = 2 : (tensor<1x2x3x8xf32>, tensor<1x2x2x8xf32>) -> tensor<1x2x5x8xf32>
  %m = mllm.constant dense<[[0.0, 0.0, 0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x5xf32>
  %kt = mllm.transpose %kk permutation = [0, 1, 3, 2] : tensor<1x2x5x8xf32> -> tensor<1x2x8x5xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x2x8xf32>, tensor<1x2x8x5xf32>) -> tensor<1x2x2x5xf32>
  %a = mllm.add %s, %m : (tensor<1x2x2x5xf32>, tensor<2x5xf32>) -> tensor<1x2x2x5xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x2x5xf32>
  %o = mllm.matmul %p, %vv : (tensor<1x2x2x5xf32>, tensor<1x2x5x8xf32>) -> tensor<1x2x2x8xf32>
  return %o : tensor<1x2x2x8xf32>
}

// -----

// A top-left triangle (j <= i) with Sq != Skv is not `causal` (which is
// bottom-right aligned): the mask stays.
// CHECK-LABEL: func.func @top_left_triangle_stays
//       CHECK: %[[M:.*]] = mllm.constant
//       CHECK: mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} mask %[[M]] {num_heads = 2
//   CHECK-NOT: causal
func.func @top_left_triangle_stays(%q: tensor<1x2x2x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x2x8xf32> {
  %m = mllm.constant dense<[[true, false, false], [true, true, false]]> : tensor<2x3xi1>
  %ninf = mllm.constant dense<0xFF800000> : tensor<f32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x2x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x2x3xf32>
  %w = mllm.select %m, %s, %ninf : (tensor<2x3xi1>, tensor<1x2x2x3xf32>, tensor<f32>) -> tensor<1x2x2x3xf32>
  %p = mllm.softmax %w axis = 3 : tensor<1x2x2x3xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x2x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x2x8xf32>
  return %o : tensor<1x2x2x8xf32>
}

// -----

// A triangle with one wrong element stays a mask.
// CHECK-LABEL: func.func @almost_triangle_stays
//       CHECK: mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} mask
//   CHECK-NOT: causal
func.func @almost_triangle_stays(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %m = mllm.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %a = mllm.add %s, %m : (tensor<1x2x3x3xf32>, tensor<3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x3x3xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// A causal constant plus a padding mask (a model input): causal, and the
// padding mask stays.
// CHECK-LABEL: func.func @causal_plus_padding
//  CHECK-SAME: %[[PAD:[^:]*]]: tensor<1x1x1x3xf32>
//       CHECK: mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} mask %[[PAD]] {causal,
//   CHECK-NOT: mllm.softmax
func.func @causal_plus_padding(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>, %pad: tensor<1x1x1x3xf32>) -> tensor<1x2x3x8xf32> {
  %c = mllm.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %m = mllm.add %c, %pad : (tensor<3x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x1x3x3xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %a = mllm.add %s, %m : (tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x3x3xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// A constant mask that attends everywhere disappears.
// CHECK-LABEL: func.func @all_attend_mask_dropped
//       CHECK: mllm.attention %{{[^ ]*}}, %{{[^ ]*}}, %{{[^ ]*}} {num_heads = 2
//   CHECK-NOT: mask
func.func @all_attend_mask_dropped(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %m = mllm.constant dense<0.0> : tensor<1x1x3x3xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x3x8xf32> -> tensor<1x2x8x3xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x3x8xf32>, tensor<1x2x8x3xf32>) -> tensor<1x2x3x3xf32>
  %a = mllm.add %s, %m : (tensor<1x2x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = mllm.softmax %a axis = 3 : tensor<1x2x3x3xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}
