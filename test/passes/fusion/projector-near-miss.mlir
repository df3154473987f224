// RUN: mllmc-opt %s --split-input-file --mllm-fuse-projector | FileCheck %s
// RUN: mllmc-opt %s --split-input-file --mllm-fuse-projector --remarks-filter=mllm-fuse.* --remark-format=emitRemark 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Near misses: the pattern recognized the region but a detail differs. The
// IR stays as it was and a remark says why, at the anchor op's location.

// CHECK-LABEL: func @gelu_wrong_factor
// CHECK-NOT: mllm.gelu
// CHECK: mllm.erf
// REMARK: remark: loc("/act/Erf"): [Missed] gelu | Category:mllm-fuse-projector | Function=gelu_wrong_factor | Reason="activation is not a GELU: constant 1.5 is not 1/√2"
func.func @gelu_wrong_factor(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = mllm.constant dense<1.5> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %0 = mllm.mul %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.erf %0 : tensor<2x8xf32> loc("/act/Erf")
  %2 = mllm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = mllm.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = mllm.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func @gelu_wrong_divisor
// CHECK-NOT: mllm.gelu
// REMARK: Reason="activation is not a GELU: constant 2 is not √2"
func.func @gelu_wrong_divisor(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = mllm.constant dense<2.0> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %0 = mllm.div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.erf %0 : tensor<2x8xf32>
  %2 = mllm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = mllm.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = mllm.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func @gelu_wrong_half
// CHECK-NOT: mllm.gelu
// REMARK: Reason="activation is not a GELU: constant 0.4 is not 0.5"
func.func @gelu_wrong_half(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = mllm.constant dense<1.41421354> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.4> : tensor<f32>
  %0 = mllm.div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.erf %0 : tensor<2x8xf32>
  %2 = mllm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = mllm.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = mllm.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// 1 + erf multiplies another value than the erf's input: not a GELU.
// CHECK-LABEL: func @gelu_other_operand
// CHECK-NOT: mllm.gelu
// REMARK: Reason="activation is not a GELU: 1 + ... is multiplied by a value that is not x"
func.func @gelu_other_operand(%x: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = mllm.constant dense<1.41421354> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %0 = mllm.div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.erf %0 : tensor<2x8xf32>
  %2 = mllm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = mllm.mul %y, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %3 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func @gelu_tanh_wrong_cube_factor
// CHECK-NOT: mllm.gelu
// REMARK: [Missed] gelu_tanh | {{.*}} Reason="activation is not a tanh GELU: constant 0.05 is not 0.044715"
func.func @gelu_tanh_wrong_cube_factor(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %three = mllm.constant dense<3.0> : tensor<f32>
  %k = mllm.constant dense<0.05> : tensor<f32>
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

// CHECK-LABEL: func @quick_gelu_wrong_factor
// CHECK-NOT: mllm.quick_gelu
// REMARK: [Missed] quick_gelu | {{.*}} Reason="activation is not a QuickGELU: constant 1.5 is not 1.702"
func.func @quick_gelu_wrong_factor(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = mllm.constant dense<1.5> : tensor<f32>
  %0 = mllm.mul %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = mllm.sigmoid %0 : tensor<2x8xf32>
  %2 = mllm.mul %x, %1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// The hidden activation is also returned: the linear layers and the GELU
// fuse, the MLP does not.
// CHECK-LABEL: func @mlp_hidden_used_twice
// CHECK-NOT: mllm.mlp
// CHECK: mllm.linear
// CHECK: mllm.gelu
// CHECK: mllm.linear
// REMARK: remark: loc("/fc2/MatMul"): [Missed] mlp | {{.*}} Reason="not an MLP: the hidden activation has other uses"
func.func @mlp_hidden_used_twice(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x16xf32>) {
  %w1 = mllm.constant dense<1.0> : tensor<8x16xf32>
  %w2 = mllm.constant dense<2.0> : tensor<16x8xf32>
  %c = mllm.constant dense<1.41421354> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %half = mllm.constant dense<0.5> : tensor<f32>
  %h = mllm.matmul %x, %w1 : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %0 = mllm.div %h, %c : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  %1 = mllm.erf %0 : tensor<4x16xf32>
  %2 = mllm.add %1, %one : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  %3 = mllm.mul %h, %2 : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %4 = mllm.mul %3, %half : (tensor<4x16xf32>, tensor<f32>) -> tensor<4x16xf32>
  %5 = mllm.matmul %4, %w2 : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32> loc("/fc2/MatMul")
  return %5, %4 : tensor<4x8xf32>, tensor<4x16xf32>
}

// -----

// SwiGLU whose gate and up projections read different inputs.
// CHECK-LABEL: func @swiglu_different_inputs
// CHECK-NOT: mllm.mlp
// REMARK: Reason="not an MLP: the gate and up projections read different inputs"
func.func @swiglu_different_inputs(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %wg = mllm.constant dense<1.0> : tensor<8x16xf32>
  %wu = mllm.constant dense<2.0> : tensor<8x16xf32>
  %wd = mllm.constant dense<3.0> : tensor<16x8xf32>
  %g = mllm.matmul %x, %wg : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %a = mllm.silu %g : tensor<4x16xf32>
  %u = mllm.matmul %y, %wu : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %h = mllm.mul %a, %u : (tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %d = mllm.matmul %h, %wd : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}
