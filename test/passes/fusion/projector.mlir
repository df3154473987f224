// RUN: mllmc-opt %s --split-input-file --mllm-fuse-projector | FileCheck %s

// Layer 1, linear: MatMul with a constant weight and its bias Add, in either
// operand order.

// CHECK-LABEL: func @linear_bias_first
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-DAG: %[[W:.*]] = mllm.constant dense<1.000000e+00> : tensor<64x128xf32>
// CHECK-DAG: %[[B:.*]] = mllm.constant dense<2.000000e+00> : tensor<128xf32>
// CHECK: %[[L:.*]] = mllm.linear %[[X]], %[[W]], %[[B]] : (tensor<1x16x64xf32>, tensor<64x128xf32>, tensor<128xf32>) -> tensor<1x16x128xf32>
// CHECK-NEXT: return %[[L]]
func.func @linear_bias_first(%x: tensor<1x16x64xf32>) -> tensor<1x16x128xf32> {
  %w = mllm.constant dense<1.0> : tensor<64x128xf32>
  %b = mllm.constant dense<2.0> : tensor<128xf32>
  %0 = mllm.matmul %x, %w : (tensor<1x16x64xf32>, tensor<64x128xf32>) -> tensor<1x16x128xf32>
  %1 = mllm.add %b, %0 : (tensor<128xf32>, tensor<1x16x128xf32>) -> tensor<1x16x128xf32>
  return %1 : tensor<1x16x128xf32>
}

// -----

// A [1, 1, N] bias is reshaped to [N]; the product comes first.
// CHECK-LABEL: func @linear_bias_rank3
// CHECK: %[[B:.*]] = mllm.reshape %{{.*}} : tensor<1x1x128xf32> -> tensor<128xf32>
// CHECK: mllm.linear %{{.*}}, %{{.*}}, %[[B]] : (tensor<?x16x64xf32>, tensor<64x128xf32>, tensor<128xf32>) -> tensor<?x16x128xf32>
// CHECK-NOT: mllm.add
func.func @linear_bias_rank3(%x: tensor<?x16x64xf32>, %b: tensor<1x1x128xf32>) -> tensor<?x16x128xf32> {
  %w = mllm.constant dense<1.0> : tensor<64x128xf32>
  %0 = mllm.matmul %x, %w : (tensor<?x16x64xf32>, tensor<64x128xf32>) -> tensor<?x16x128xf32>
  %1 = mllm.add %0, %b : (tensor<?x16x128xf32>, tensor<1x1x128xf32>) -> tensor<?x16x128xf32>
  return %1 : tensor<?x16x128xf32>
}

// -----

// Gemm with transB imports as a transpose of the constant weight.
// CHECK-LABEL: func @linear_transposed_weight
// CHECK: %[[T:.*]] = mllm.transpose
// CHECK: mllm.linear %{{.*}}, %[[T]], %{{.*}} : (tensor<4x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
func.func @linear_transposed_weight(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = mllm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = mllm.constant dense<2.0> : tensor<2xf32>
  %t = mllm.transpose %w permutation = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %0 = mllm.matmul %x, %t : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %1 = mllm.add %0, %b : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}

// -----

// Without a bias (LLaMA's projections) the MatMul alone becomes a linear; a
// residual Add that varies along the tokens is not a bias and stays.
// CHECK-LABEL: func @linear_no_bias_residual
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>, %[[R:.*]]: tensor<1x16x64xf32>)
// CHECK: %[[L:.*]] = mllm.linear %[[X]], %{{.*}} : (tensor<1x16x64xf32>, tensor<64x64xf32>) -> tensor<1x16x64xf32>
// CHECK: mllm.add %[[L]], %[[R]]
func.func @linear_no_bias_residual(%x: tensor<1x16x64xf32>, %r: tensor<1x16x64xf32>) -> tensor<1x16x64xf32> {
  %w = mllm.constant dense<1.0> : tensor<64x64xf32>
  %0 = mllm.matmul %x, %w : (tensor<1x16x64xf32>, tensor<64x64xf32>) -> tensor<1x16x64xf32>
  %1 = mllm.add %0, %r : (tensor<1x16x64xf32>, tensor<1x16x64xf32>) -> tensor<1x16x64xf32>
  return %1 : tensor<1x16x64xf32>
}

// -----

// A product of two activations (attention's Q·Kᵀ) is not a linear layer.
// CHECK-LABEL: func @matmul_of_activations
// CHECK: mllm.matmul
// CHECK: mllm.add
// CHECK-NOT: mllm.linear
func.func @matmul_of_activations(%q: tensor<1x4x16x8xf32>, %kt: tensor<1x4x8x16xf32>, %m: tensor<16xf32>) -> tensor<1x4x16x16xf32> {
  %0 = mllm.matmul %q, %kt : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x16x16xf32>
  %1 = mllm.add %0, %m : (tensor<1x4x16x16xf32>, tensor<16xf32>) -> tensor<1x4x16x16xf32>
  return %1 : tensor<1x4x16x16xf32>
}

// -----

// Layer 2, activations. The erf GELU as torch.onnx writes it:
// (x · (1 + erf(x / √2))) · 0.5.
// CHECK-LABEL: func @gelu_erf_torch
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[G:.*]] = mllm.gelu %[[X]] : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf_torch(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = mllm.constant dense<1.41421354> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %0 = mllm.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.erf %0 : tensor<2x8xf32>
  %2 = mllm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = mllm.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = mllm.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// Hugging Face's form: (x · 0.5) · (1 + erf(x · 1/√2)), constants first.
// CHECK-LABEL: func @gelu_erf_hf
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf16>)
// CHECK-NEXT: %[[G:.*]] = mllm.gelu %[[X]] : tensor<2x8xf16>
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf_hf(%x: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %rsqrt2 = mllm.constant dense<0.7071> : tensor<f16>
  %one = mllm.constant dense<1.0> : tensor<f16>
  %half = mllm.constant dense<0.5> : tensor<f16>
  %0 = mllm.mul %rsqrt2, %x : (tensor<f16>, tensor<2x8xf16>) -> tensor<2x8xf16>
  %1 = mllm.erf %0 : tensor<2x8xf16>
  %2 = mllm.add %one, %1 : (tensor<f16>, tensor<2x8xf16>) -> tensor<2x8xf16>
  %3 = mllm.mul %x, %half : (tensor<2x8xf16>, tensor<f16>) -> tensor<2x8xf16>
  %4 = mllm.mul %3, %2 : (tensor<2x8xf16>, tensor<2x8xf16>) -> tensor<2x8xf16>
  return %4 : tensor<2x8xf16>
}

// -----

// ((1 + erf(x / √2)) · 0.5) · x.
// CHECK-LABEL: func @gelu_erf_half_first
// CHECK-NEXT: %[[G:.*]] = mllm.gelu
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf_half_first(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = mllm.constant dense<1.41421354> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %0 = mllm.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.erf %0 : tensor<2x8xf32>
  %2 = mllm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = mllm.mul %2, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %4 = mllm.mul %3, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// The tanh GELU with Pow(x, 3) (Hugging Face's NewGELUActivation).
// CHECK-LABEL: func @gelu_tanh_pow
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[G:.*]] = mllm.gelu %[[X]] approximate = tanh : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh_pow(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %three = mllm.constant dense<3.0> : tensor<f32>
  %k = mllm.constant dense<0.044715> : tensor<f32>
  %c = mllm.constant dense<0.797884583> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %0 = mllm.pow %x, %three : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.mul %k, %0 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = mllm.add %x, %1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = mllm.mul %c, %2 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = mllm.tanh %3 : tensor<2x8xf32>
  %5 = mllm.add %one, %4 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %6 = mllm.mul %half, %x : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %7 = mllm.mul %6, %5 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %7 : tensor<2x8xf32>
}

// -----

// The tanh GELU with the cube as x · (x · x), sum in the other order.
// CHECK-LABEL: func @gelu_tanh_mul_cube
// CHECK-NEXT: %[[G:.*]] = mllm.gelu %{{.*}} approximate = tanh
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh_mul_cube(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %k = mllm.constant dense<0.044715> : tensor<f32>
  %c = mllm.constant dense<0.797884583> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %sq = mllm.mul %x, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %0 = mllm.mul %x, %sq : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = mllm.mul %0, %k : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %2 = mllm.add %1, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = mllm.mul %2, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %4 = mllm.tanh %3 : tensor<2x8xf32>
  %5 = mllm.add %4, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %6 = mllm.mul %x, %5 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %7 = mllm.mul %6, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %7 : tensor<2x8xf32>
}

// -----

// QuickGELU (CLIP) and SiLU.
// CHECK-LABEL: func @sigmoid_activations
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %[[Y:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[Q:.*]] = mllm.quick_gelu %[[X]] : tensor<2x8xf32>
// CHECK-NEXT: %[[S:.*]] = mllm.silu %[[Y]] : tensor<2x8xf32>
// CHECK-NEXT: return %[[Q]], %[[S]]
func.func @sigmoid_activations(%x: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %c = mllm.constant dense<1.702> : tensor<f32>
  %0 = mllm.mul %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.sigmoid %0 : tensor<2x8xf32>
  %2 = mllm.mul %x, %1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = mllm.sigmoid %y : tensor<2x8xf32>
  %4 = mllm.mul %3, %y : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %2, %4 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Layer 3, MLP: the LLaVA-1.5 projector as torch.onnx writes it becomes one
// mllm.mlp whose location names every ONNX node it absorbed.
// CHECK-LABEL: func @llava_projector
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x64xf32>)
// CHECK-DAG: %[[W1:.*]] = mllm.constant dense<1.000000e+00> : tensor<64x128xf32>
// CHECK-DAG: %[[B1:.*]] = mllm.constant dense<2.000000e+00> : tensor<128xf32>
// CHECK-DAG: %[[W2:.*]] = mllm.constant dense<3.000000e+00> : tensor<128x128xf32>
// CHECK-DAG: %[[B2:.*]] = mllm.constant dense<4.000000e+00> : tensor<128xf32>
// CHECK: %[[P:.*]] = mllm.mlp gelu %[[X]] up %[[W1]] bias %[[B1]] down %[[W2]] bias %[[B2]] : (tensor<1x16x64xf32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<1x16x128xf32>
// CHECK-NEXT: return %[[P]]
func.func @llava_projector(%x: tensor<1x16x64xf32>) -> tensor<1x16x128xf32> {
  %w1 = mllm.constant dense<1.0> : tensor<64x128xf32>
  %b1 = mllm.constant dense<2.0> : tensor<128xf32>
  %w2 = mllm.constant dense<3.0> : tensor<128x128xf32>
  %b2 = mllm.constant dense<4.0> : tensor<128xf32>
  %sqrt2 = mllm.constant dense<1.41421354> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %0 = mllm.matmul %x, %w1 : (tensor<1x16x64xf32>, tensor<64x128xf32>) -> tensor<1x16x128xf32> loc("/linear_1/MatMul")
  %1 = mllm.add %b1, %0 : (tensor<128xf32>, tensor<1x16x128xf32>) -> tensor<1x16x128xf32> loc("/linear_1/Add")
  %2 = mllm.div %1, %sqrt2 : (tensor<1x16x128xf32>, tensor<f32>) -> tensor<1x16x128xf32> loc("/act/Div")
  %3 = mllm.erf %2 : tensor<1x16x128xf32> loc("/act/Erf")
  %4 = mllm.add %3, %one : (tensor<1x16x128xf32>, tensor<f32>) -> tensor<1x16x128xf32> loc("/act/Add")
  %5 = mllm.mul %1, %4 : (tensor<1x16x128xf32>, tensor<1x16x128xf32>) -> tensor<1x16x128xf32> loc("/act/Mul")
  %6 = mllm.mul %5, %half : (tensor<1x16x128xf32>, tensor<f32>) -> tensor<1x16x128xf32> loc("/act/Mul_1")
  %7 = mllm.matmul %6, %w2 : (tensor<1x16x128xf32>, tensor<128x128xf32>) -> tensor<1x16x128xf32> loc("/linear_2/MatMul")
  %8 = mllm.add %b2, %7 : (tensor<128xf32>, tensor<1x16x128xf32>) -> tensor<1x16x128xf32> loc("/linear_2/Add")
  return %8 : tensor<1x16x128xf32>
}

// -----

// The CLIP FFN: fc1 → QuickGELU → fc2.
// CHECK-LABEL: func @clip_mlp
// CHECK: %[[P:.*]] = mllm.mlp quick_gelu %{{.*}} up %{{.*}} bias %{{.*}} down %{{.*}} bias %{{.*}} :
// CHECK-NEXT: return %[[P]]
func.func @clip_mlp(%x: tensor<1x50x32xf32>) -> tensor<1x50x32xf32> {
  %w1 = mllm.constant dense<1.0> : tensor<32x64xf32>
  %b1 = mllm.constant dense<2.0> : tensor<64xf32>
  %w2 = mllm.constant dense<3.0> : tensor<64x32xf32>
  %b2 = mllm.constant dense<4.0> : tensor<32xf32>
  %c = mllm.constant dense<1.702> : tensor<f32>
  %0 = mllm.matmul %x, %w1 : (tensor<1x50x32xf32>, tensor<32x64xf32>) -> tensor<1x50x64xf32>
  %1 = mllm.add %0, %b1 : (tensor<1x50x64xf32>, tensor<64xf32>) -> tensor<1x50x64xf32>
  %2 = mllm.mul %1, %c : (tensor<1x50x64xf32>, tensor<f32>) -> tensor<1x50x64xf32>
  %3 = mllm.sigmoid %2 : tensor<1x50x64xf32>
  %4 = mllm.mul %1, %3 : (tensor<1x50x64xf32>, tensor<1x50x64xf32>) -> tensor<1x50x64xf32>
  %5 = mllm.matmul %4, %w2 : (tensor<1x50x64xf32>, tensor<64x32xf32>) -> tensor<1x50x32xf32>
  %6 = mllm.add %5, %b2 : (tensor<1x50x32xf32>, tensor<32xf32>) -> tensor<1x50x32xf32>
  return %6 : tensor<1x50x32xf32>
}

// -----

// The LLaMA FFN (SwiGLU): down(silu(x·Wg) * (x·Wu)), no biases.
// CHECK-LABEL: func @swiglu
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x64xf32>)
// CHECK-DAG: %[[WG:.*]] = mllm.constant dense<1.000000e+00> : tensor<64x172xf32>
// CHECK-DAG: %[[WU:.*]] = mllm.constant dense<2.000000e+00> : tensor<64x172xf32>
// CHECK-DAG: %[[WD:.*]] = mllm.constant dense<3.000000e+00> : tensor<172x64xf32>
// CHECK: %[[P:.*]] = mllm.mlp silu %[[X]] up %[[WU]] gate %[[WG]] down %[[WD]] : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
// CHECK-NEXT: return %[[P]]
func.func @swiglu(%x: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %wg = mllm.constant dense<1.0> : tensor<64x172xf32>
  %wu = mllm.constant dense<2.0> : tensor<64x172xf32>
  %wd = mllm.constant dense<3.0> : tensor<172x64xf32>
  %g = mllm.matmul %x, %wg : (tensor<1x?x64xf32>, tensor<64x172xf32>) -> tensor<1x?x172xf32>
  %s = mllm.sigmoid %g : tensor<1x?x172xf32>
  %a = mllm.mul %g, %s : (tensor<1x?x172xf32>, tensor<1x?x172xf32>) -> tensor<1x?x172xf32>
  %u = mllm.matmul %x, %wu : (tensor<1x?x64xf32>, tensor<64x172xf32>) -> tensor<1x?x172xf32>
  %h = mllm.mul %a, %u : (tensor<1x?x172xf32>, tensor<1x?x172xf32>) -> tensor<1x?x172xf32>
  %d = mllm.matmul %h, %wd : (tensor<1x?x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  return %d : tensor<1x?x64xf32>
}
