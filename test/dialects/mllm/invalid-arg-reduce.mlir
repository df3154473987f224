// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @axis_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.arg_max' op axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.arg_max %x axis = 2 : tensor<4x8xf32> -> tensor<4x1xi64>
  return
}

// -----

func.func @negative_axis(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.arg_min' op axis -1 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.arg_min %x axis = -1 : tensor<4x8xf32> -> tensor<4x1xi64>
  return
}

// -----

func.func @scalar(%x: tensor<f32>) {
  // expected-error @+2 {{'mllm.arg_max' op input must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.arg_max %x axis = 0 : tensor<f32> -> tensor<i64>
  return
}

// -----

func.func @wrong_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'mllm.arg_max' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<4x1xi32>'}}
  %0 = mllm.arg_max %x axis = 1 : tensor<4x8xf32> -> tensor<4x1xi32>
  return
}

// -----

func.func @bool_input(%x: tensor<4x8xi1>) {
  // expected-error @+1 {{'mllm.arg_min' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float or 8-, 16-, 32- or 64-bit signless or unsigned integer values, but got 'tensor<4x8xi1>'}}
  %0 = mllm.arg_min %x axis = 1 : tensor<4x8xi1> -> tensor<4x1xi64>
  return
}
