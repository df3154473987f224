// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @axis_out_of_range(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.reduce_mean' op axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.reduce_mean %x axes = [2] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @negative_axis(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.reduce_sum' op axis -1 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.reduce_sum %x axes = [-1] : tensor<4x8xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @unsorted_axes(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.reduce_max' op axes must be strictly increasing, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.reduce_max %x axes = [1, 0] : tensor<4x8xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @wrong_result(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.reduce_mean' op inferred type(s) 'tensor<4x1xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.reduce_mean %x axes = [1] : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @integer_mean(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'mllm.reduce_mean' op operand #0 must be ranked tensor of}}
  %0 = mllm.reduce_mean %x axes = [1] : tensor<4x8xi32> -> tensor<4x1xi32>
  return
}
