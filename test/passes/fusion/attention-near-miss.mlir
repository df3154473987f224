// RUN: mllmc-opt --mllm-fuse-attention --split-input-file %s | FileCheck %s
// RUN: mllmc-opt --mllm-fuse-attention --split-input-file --remarks-filter-missed=mllm-fuse-attention %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=WHY

// Near misses: the region is recognised (a softmax feeding a matmul) but is
// not attention as mllm.attention defines it. The softmax stays and a
// "missed" remark says why.

// CHECK-LABEL: func.func @softmax_not_last_axis
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: remark: [Missed] attention-core | Category:mllm-fuse-attention | Function=softmax_not_last_axis | Reason="the softmax runs over axis 2, not the last axis (3) of the scores"
func.func @softmax_not_last_axis(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %s axis = 2 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// The probabilities are returned too (output_attentions).
// CHECK-LABEL: func.func @probabilities_used_elsewhere
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: Function=probabilities_used_elsewhere | Reason="the attention probabilities are also used elsewhere, so the softmax must stay"
func.func @probabilities_used_elsewhere(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>) {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o, %p : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
}

// -----

// Where fills masked scores with -1, which still lets them through.
// CHECK-LABEL: func.func @select_fill_not_masking
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: Function=select_fill_not_masking | Reason="the select around the scores does not fill masked scores with -inf or a large negative constant (at most -10000)"
func.func @select_fill_not_masking(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<4x4xi1>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %fill = mllm.constant dense<-1.0> : tensor<f32>
  %w = mllm.select %m, %s, %fill : (tensor<4x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %w axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// The scale multiplies the mask too: (QKᵀ + mask) * c.
// CHECK-LABEL: func.func @mask_before_scale
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: Function=mask_before_scale | Reason="a mask is applied before the scale (scale * (QKᵀ + mask))"
func.func @mask_before_scale(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<4x4xf32>) -> tensor<1x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %a = mllm.add %s, %m : (tensor<1x2x4x4xf32>, tensor<4x4xf32>) -> tensor<1x2x4x4xf32>
  %c = mllm.constant dense<0.5> : tensor<f32>
  %d = mllm.mul %a, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %p = mllm.softmax %d axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Softmax of something that is not QKᵀ (a plain softmax-weighted sum).
// CHECK-LABEL: func.func @scores_not_a_matmul
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: Function=scores_not_a_matmul | Reason="the scores come from a block argument, not from a matmul of query and key"
func.func @scores_not_a_matmul(%s: tensor<1x2x4x4xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %p = mllm.softmax %s axis = 3 : tensor<1x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// The key's batch broadcasts over the query's (matmul allows it,
// mllm.attention does not).
// CHECK-LABEL: func.func @broadcast_batch
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: Function=broadcast_batch | Reason="the batch sizes of query, key and value differ (or are dynamic): [2, 2, 4, 8], [1, 2, 4, 8], [2, 2, 4, 8]"
func.func @broadcast_batch(%q: tensor<2x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<2x2x4x8xf32>) -> tensor<2x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<2x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<2x2x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<2x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<2x2x4x4xf32>, tensor<2x2x4x8xf32>) -> tensor<2x2x4x8xf32>
  return %o : tensor<2x2x4x8xf32>
}

// -----

// The mask has a batch the scores do not: adding it enlarges them.
// CHECK-LABEL: func.func @mask_enlarges_scores
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: Function=mask_enlarges_scores | Reason="the mask [2, 1, 4, 4] broadcasts the scores [1, 2, 4, 4] to a larger shape"
func.func @mask_enlarges_scores(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<2x1x4x4xf32>) -> tensor<2x2x4x8xf32> {
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x2x4x8xf32> -> tensor<1x2x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %a = mllm.add %s, %m : (tensor<1x2x4x4xf32>, tensor<2x1x4x4xf32>) -> tensor<2x2x4x4xf32>
  %p = mllm.softmax %a axis = 3 : tensor<2x2x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<2x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<2x2x4x8xf32>
  return %o : tensor<2x2x4x8xf32>
}

// -----

// Only the key repeats its heads: attention is raised with the repeated
// key and value as they are, and the GQA layer says why it stopped.
// CHECK-LABEL: func.func @gqa_key_only
//       CHECK: mllm.attention {{.*}} {num_heads = 4 : i64, num_kv_heads = 4 : i64
// WHY: remark: [Missed] attention-gqa | Category:mllm-fuse-attention | Function=gqa_key_only | Reason="the key repeats its heads (repeat_kv) but the value does not"
func.func @gqa_key_only(%q: tensor<1x4x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32> {
  %ones = mllm.constant dense<1.0> : tensor<1x2x2x8x16xf32>
  %ku = mllm.reshape %k : tensor<1x2x8x16xf32> -> tensor<1x2x1x8x16xf32>
  %ke = mllm.mul %ku, %ones : (tensor<1x2x1x8x16xf32>, tensor<1x2x2x8x16xf32>) -> tensor<1x2x2x8x16xf32>
  %kr = mllm.reshape %ke : tensor<1x2x2x8x16xf32> -> tensor<1x4x8x16xf32>
  %kt = mllm.transpose %kr permutation = [0, 1, 3, 2] : tensor<1x4x8x16xf32> -> tensor<1x4x16x8xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x4x8x8xf32>
  %o = mllm.matmul %p, %v : (tensor<1x4x8x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>
  return %o : tensor<1x4x8x16xf32>
}

// -----

// The head split reshape infers the head count (-1) from a hidden size known
// only at run time, and one key/value head is shared by all query heads:
// num_heads would be a run-time value, which mllm.attention cannot take.
// CHECK-LABEL: func.func @dynamic_head_count
//   CHECK-NOT: mllm.attention
//       CHECK: mllm.softmax
// WHY: remark: [Missed] attention-core | Category:mllm-fuse-attention | Function=dynamic_head_count | Reason="the head count of the query [1, ?, 4, 8] or of the key [1, 1, 4, 8] is dynamic; mllm.attention needs static num_heads and num_kv_heads"
func.func @dynamic_head_count(%x: tensor<1x4x?xf32>, %k: tensor<1x1x4x8xf32>, %v: tensor<1x1x4x8xf32>) -> tensor<1x?x4x8xf32> {
  %q4 = mllm.reshape %x : tensor<1x4x?xf32> -> tensor<1x4x?x8xf32>
  %q = mllm.transpose %q4 permutation = [0, 2, 1, 3] : tensor<1x4x?x8xf32> -> tensor<1x?x4x8xf32>
  %kt = mllm.transpose %k permutation = [0, 1, 3, 2] : tensor<1x1x4x8xf32> -> tensor<1x1x8x4xf32>
  %s = mllm.matmul %q, %kt : (tensor<1x?x4x8xf32>, tensor<1x1x8x4xf32>) -> tensor<1x?x4x4xf32>
  %p = mllm.softmax %s axis = 3 : tensor<1x?x4x4xf32>
  %o = mllm.matmul %p, %v : (tensor<1x?x4x4xf32>, tensor<1x1x4x8xf32>) -> tensor<1x?x4x8xf32>
  return %o : tensor<1x?x4x8xf32>
}
