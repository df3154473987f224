// RUN: mllmc-opt %s --split-input-file --mllm-fuse-norm | FileCheck %s

// LayerNorm as torch.onnx writes it before opset 17: ReduceMean, Sub, Pow 2,
// ReduceMean, Add eps, Sqrt, Div, then Mul gamma and Add beta.
// CHECK-LABEL: func @layer_norm_div
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x32xf32>, %[[G:.*]]: tensor<32xf32>, %[[B:.*]]: tensor<32xf32>)
// CHECK-NEXT: %[[N:.*]] = mllm.layer_norm %[[X]], %[[G]], %[[B]] axis = 2 epsilon = 9.99999974E-6 : (tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
// CHECK-NEXT: return %[[N]]
func.func @layer_norm_div(%x: tensor<1x16x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>) -> tensor<1x16x32xf32> {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %eps = mllm.constant dense<1.0e-05> : tensor<f32>
  %0 = mllm.reduce_mean %x axes = [2] : tensor<1x16x32xf32> -> tensor<1x16x1xf32>
  %1 = mllm.sub %x, %0 : (tensor<1x16x32xf32>, tensor<1x16x1xf32>) -> tensor<1x16x32xf32>
  %2 = mllm.pow %1, %two : (tensor<1x16x32xf32>, tensor<f32>) -> tensor<1x16x32xf32>
  %3 = mllm.reduce_mean %2 axes = [2] : tensor<1x16x32xf32> -> tensor<1x16x1xf32>
  %4 = mllm.add %3, %eps : (tensor<1x16x1xf32>, tensor<f32>) -> tensor<1x16x1xf32>
  %5 = mllm.sqrt %4 : tensor<1x16x1xf32>
  %6 = mllm.div %1, %5 : (tensor<1x16x32xf32>, tensor<1x16x1xf32>) -> tensor<1x16x32xf32>
  %7 = mllm.mul %6, %g : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
  %8 = mllm.add %7, %b : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
  return %8 : tensor<1x16x32xf32>
}

// -----

// The Reciprocal form with Mul(d, d), over the last two dims, without an
// affine part: the scale is ones.
// CHECK-LABEL: func @layer_norm_reciprocal
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf32>)
// CHECK: %[[ONES:.*]] = mllm.constant dense<1.000000e+00> : tensor<4x8xf32>
// CHECK-NEXT: %[[N:.*]] = mllm.layer_norm %[[X]], %[[ONES]] axis = 1 epsilon = 9.99999997E-7 : (tensor<2x4x8xf32>, tensor<4x8xf32>) -> tensor<2x4x8xf32>
// CHECK-NEXT: return %[[N]]
func.func @layer_norm_reciprocal(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %eps = mllm.constant dense<1.0e-06> : tensor<f32>
  %0 = mllm.reduce_mean %x axes = [1, 2] : tensor<2x4x8xf32> -> tensor<2x1x1xf32>
  %1 = mllm.sub %x, %0 : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %2 = mllm.mul %1, %1 : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %3 = mllm.reduce_mean %2 axes = [1, 2] : tensor<2x4x8xf32> -> tensor<2x1x1xf32>
  %4 = mllm.add %eps, %3 : (tensor<f32>, tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  %5 = mllm.sqrt %4 : tensor<2x1x1xf32>
  %6 = mllm.reciprocal %5 : tensor<2x1x1xf32>
  %7 = mllm.mul %6, %1 : (tensor<2x1x1xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %7 : tensor<2x4x8xf32>
}

// -----

// The rsqrt form with a scale only.
// CHECK-LABEL: func @layer_norm_rsqrt
// CHECK: mllm.layer_norm %{{.*}}, %{{.*}} axis = 1 epsilon = 9.99999974E-6 : (tensor<?x32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
// CHECK-NOT: mllm.reduce_mean
func.func @layer_norm_rsqrt(%x: tensor<?x32xf32>, %g: tensor<32xf32>) -> tensor<?x32xf32> {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %eps = mllm.constant dense<1.0e-05> : tensor<f32>
  %0 = mllm.reduce_mean %x axes = [1] : tensor<?x32xf32> -> tensor<?x1xf32>
  %1 = mllm.sub %x, %0 : (tensor<?x32xf32>, tensor<?x1xf32>) -> tensor<?x32xf32>
  %2 = mllm.pow %1, %two : (tensor<?x32xf32>, tensor<f32>) -> tensor<?x32xf32>
  %3 = mllm.reduce_mean %2 axes = [1] : tensor<?x32xf32> -> tensor<?x1xf32>
  %4 = mllm.add %3, %eps : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
  %5 = mllm.rsqrt %4 : tensor<?x1xf32>
  %6 = mllm.mul %1, %5 : (tensor<?x32xf32>, tensor<?x1xf32>) -> tensor<?x32xf32>
  %7 = mllm.mul %g, %6 : (tensor<32xf32>, tensor<?x32xf32>) -> tensor<?x32xf32>
  return %7 : tensor<?x32xf32>
}

// -----

// RMSNorm as LLaMA's modeling code exports: Pow, ReduceMean, Add, Sqrt,
// Div(1, ·), Mul, Mul(weight, ·). The residual Add before it stays.
// CHECK-LABEL: func @rms_norm_residual
// CHECK-SAME: (%[[H:.*]]: tensor<1x?x64xf32>, %[[R:.*]]: tensor<1x?x64xf32>, %[[W:.*]]: tensor<64xf32>)
// CHECK-NEXT: %[[S:.*]] = mllm.add %[[H]], %[[R]]
// CHECK-NEXT: %[[N:.*]] = mllm.rms_norm %[[S]], %[[W]] axis = 2 epsilon = 9.99999997E-7 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
// CHECK-NEXT: return %[[N]], %[[S]]
func.func @rms_norm_residual(%h: tensor<1x?x64xf32>, %r: tensor<1x?x64xf32>, %w: tensor<64xf32>) -> (tensor<1x?x64xf32>, tensor<1x?x64xf32>) {
  %two = mllm.constant dense<2.0> : tensor<f32>
  %eps = mllm.constant dense<1.0e-06> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %x = mllm.add %h, %r : (tensor<1x?x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %0 = mllm.pow %x, %two : (tensor<1x?x64xf32>, tensor<f32>) -> tensor<1x?x64xf32>
  %1 = mllm.reduce_mean %0 axes = [2] : tensor<1x?x64xf32> -> tensor<1x?x1xf32>
  %2 = mllm.add %1, %eps : (tensor<1x?x1xf32>, tensor<f32>) -> tensor<1x?x1xf32>
  %3 = mllm.sqrt %2 : tensor<1x?x1xf32>
  %4 = mllm.div %one, %3 : (tensor<f32>, tensor<1x?x1xf32>) -> tensor<1x?x1xf32>
  %5 = mllm.mul %x, %4 : (tensor<1x?x64xf32>, tensor<1x?x1xf32>) -> tensor<1x?x64xf32>
  %6 = mllm.mul %w, %5 : (tensor<64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %6, %x : tensor<1x?x64xf32>, tensor<1x?x64xf32>
}

// -----

// RMSNorm with rsqrt and Mul(x, x) (T5); epsilon is the f16 constant's value.
// CHECK-LABEL: func @rms_norm_rsqrt
// CHECK-SAME: (%[[X:.*]]: tensor<4x64xf16>, %[[W:.*]]: tensor<64xf16>)
// CHECK-NEXT: %[[N:.*]] = mllm.rms_norm %[[X]], %[[W]] axis = 1 epsilon = 1.01327896E-6 : (tensor<4x64xf16>, tensor<64xf16>) -> tensor<4x64xf16>
// CHECK-NEXT: return %[[N]]
func.func @rms_norm_rsqrt(%x: tensor<4x64xf16>, %w: tensor<64xf16>) -> tensor<4x64xf16> {
  %eps = mllm.constant dense<1.0e-06> : tensor<f16>
  %0 = mllm.mul %x, %x : (tensor<4x64xf16>, tensor<4x64xf16>) -> tensor<4x64xf16>
  %1 = mllm.reduce_mean %0 axes = [1] : tensor<4x64xf16> -> tensor<4x1xf16>
  %2 = mllm.add %1, %eps : (tensor<4x1xf16>, tensor<f16>) -> tensor<4x1xf16>
  %3 = mllm.rsqrt %2 : tensor<4x1xf16>
  %4 = mllm.mul %3, %x : (tensor<4x1xf16>, tensor<4x64xf16>) -> tensor<4x64xf16>
  %5 = mllm.mul %4, %w : (tensor<4x64xf16>, tensor<64xf16>) -> tensor<4x64xf16>
  return %5 : tensor<4x64xf16>
}
