// RUN: mllmc-opt %s --split-input-file --mllm-fuse-norm | FileCheck %s
// RUN: mllmc-opt %s --split-input-file --mllm-fuse-norm --remarks-filter=mllm-fuse.* --remark-format=emitRemark 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Near misses of the norm fusion: the IR stays, a remark says why.

// The variance is taken over the tokens (axis 1), not the hidden dim.
// CHECK-LABEL: func @rms_norm_wrong_axis
// CHECK-NOT: mllm.rms_norm
// REMARK: remark: loc("/norm/ReduceMean"): [Missed] rms_norm | Category:mllm-fuse-norm | Function=rms_norm_wrong_axis | Reason="not an RMSNorm: the mean reduces axes [1], not the trailing dims with keepdims"
func.func @rms_norm_wrong_axis(%x: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %eps = mllm.constant dense<1.0e-06> : tensor<f32>
  %0 = mllm.pow %x, %two : (tensor<1x16x64xf32>, tensor<f32>) -> tensor<1x16x64xf32>
  %1 = mllm.reduce_mean %0 axes = [1] : tensor<1x16x64xf32> -> tensor<1x1x64xf32> loc("/norm/ReduceMean")
  %2 = mllm.add %1, %eps : (tensor<1x1x64xf32>, tensor<f32>) -> tensor<1x1x64xf32>
  %3 = mllm.rsqrt %2 : tensor<1x1x64xf32>
  %4 = mllm.mul %x, %3 : (tensor<1x16x64xf32>, tensor<1x1x64xf32>) -> tensor<1x16x64xf32>
  return %4 : tensor<1x16x64xf32>
}

// -----

// No epsilon: mean(x²) goes straight into the square root.
// CHECK-LABEL: func @rms_norm_no_epsilon
// CHECK-NOT: mllm.rms_norm
// REMARK: [Missed] rms_norm | {{.*}} Reason="not an RMSNorm: the mean of the square is not followed by an Add of a constant epsilon alone"
func.func @rms_norm_no_epsilon(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %0 = mllm.pow %x, %two : (tensor<4x64xf32>, tensor<f32>) -> tensor<4x64xf32>
  %1 = mllm.reduce_mean %0 axes = [1] : tensor<4x64xf32> -> tensor<4x1xf32>
  %2 = mllm.rsqrt %1 : tensor<4x1xf32>
  %3 = mllm.mul %x, %2 : (tensor<4x64xf32>, tensor<4x1xf32>) -> tensor<4x64xf32>
  return %3 : tensor<4x64xf32>
}

// -----

// The two means of a LayerNorm reduce different axes.
// CHECK-LABEL: func @layer_norm_mismatched_means
// CHECK-NOT: mllm.layer_norm
// REMARK: [Missed] layer_norm | {{.*}} Reason="not a LayerNorm: the two means reduce different axes"
func.func @layer_norm_mismatched_means(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %eps = mllm.constant dense<1.0e-05> : tensor<f32>
  %0 = mllm.reduce_mean %x axes = [1, 2] : tensor<2x4x8xf32> -> tensor<2x1x1xf32>
  %1 = mllm.sub %x, %0 : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %2 = mllm.pow %1, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %3 = mllm.reduce_mean %2 axes = [2] : tensor<2x4x8xf32> -> tensor<2x4x1xf32>
  %4 = mllm.add %3, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %5 = mllm.sqrt %4 : tensor<2x4x1xf32>
  %6 = mllm.div %1, %5 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  return %6 : tensor<2x4x8xf32>
}

// -----

// The centered value is also returned.
// CHECK-LABEL: func @layer_norm_centered_used
// CHECK-NOT: mllm.layer_norm
// REMARK: [Missed] layer_norm | {{.*}} Reason="not a LayerNorm: x - mean(x) has other uses"
func.func @layer_norm_centered_used(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %eps = mllm.constant dense<1.0e-05> : tensor<f32>
  %0 = mllm.reduce_mean %x axes = [1] : tensor<4x8xf32> -> tensor<4x1xf32>
  %1 = mllm.sub %x, %0 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %2 = mllm.pow %1, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %3 = mllm.reduce_mean %2 axes = [1] : tensor<4x8xf32> -> tensor<4x1xf32>
  %4 = mllm.add %3, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %5 = mllm.sqrt %4 : tensor<4x1xf32>
  %6 = mllm.div %1, %5 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %6, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A mean of a square that does not normalize anything (a variance output).
// CHECK-LABEL: func @variance_only
// CHECK: mllm.reduce_mean
// REMARK: [Missed] rms_norm | {{.*}} Reason="not an RMSNorm: mean + eps is not followed by Sqrt or Rsqrt alone"
func.func @variance_only(%x: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %eps = mllm.constant dense<1.0e-05> : tensor<f32>
  %0 = mllm.mul %x, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = mllm.reduce_mean %0 axes = [1] : tensor<4x8xf32> -> tensor<4x1xf32>
  %2 = mllm.add %1, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  return %2 : tensor<4x1xf32>
}
