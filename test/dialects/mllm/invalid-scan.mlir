// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @top_k_axis(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.top_k' op axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = mllm.top_k %x k = 1 axis = 2 : tensor<4x8xf32> -> tensor<4x1xf32>, tensor<4x1xi64>
  return
}

// -----

func.func @top_k_too_large(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.top_k' op k = 9 exceeds the size of axis 1 (8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = mllm.top_k %x k = 9 axis = 1 : tensor<4x8xf32> -> tensor<4x9xf32>, tensor<4x9xi64>
  return
}

// -----

func.func @top_k_negative(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.top_k' op k must be non-negative, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = mllm.top_k %x k = -1 axis = 1 : tensor<4x8xf32> -> tensor<4x1xf32>, tensor<4x1xi64>
  return
}

// -----

func.func @top_k_scalar(%x: tensor<f32>) {
  // expected-error @+2 {{'mllm.top_k' op input must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = mllm.top_k %x k = 1 axis = 0 : tensor<f32> -> tensor<f32>, tensor<i64>
  return
}

// -----

func.func @top_k_wrong_result(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.top_k' op inferred type(s) 'tensor<4x2xf32>', 'tensor<4x2xi64>' are incompatible with return type(s) of operation 'tensor<4x3xf32>', 'tensor<4x3xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = mllm.top_k %x k = 2 axis = 1 : tensor<4x8xf32> -> tensor<4x3xf32>, tensor<4x3xi64>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.cumsum' op axis -1 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.cumsum %x axis = -1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @cumsum_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = mllm.cumsum %x axis = 0 : tensor<4xi1> -> tensor<4xi1>
  return
}

// -----

func.func @scatter_updates_shape(%x: tensor<4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) {
  // expected-error @+2 {{'mllm.scatter_nd' op updates must have shape [2, 4] (indices.shape[:-1] + data.shape[1:]), got 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_nd %x[%i], %u : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @scatter_depth(%x: tensor<4x4xf32>, %i: tensor<2x3xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'mllm.scatter_nd' op the last dimension of indices (3) must lie in [1, 2], the rank of data}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_nd %x[%i], %u : (tensor<4x4xf32>, tensor<2x3xi64>, tensor<2xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @scatter_dynamic_depth(%x: tensor<4x4xf32>, %i: tensor<2x?xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'mllm.scatter_nd' op the last dimension of indices must be static, got 'tensor<2x?xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_nd %x[%i], %u : (tensor<4x4xf32>, tensor<2x?xi64>, tensor<2xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @scatter_element_type(%x: tensor<4x4xf32>, %i: tensor<2x2xi64>, %u: tensor<2xf16>) {
  // expected-error @+2 {{'mllm.scatter_nd' op updates element type 'f16' differs from the data's 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_nd %x[%i], %u : (tensor<4x4xf32>, tensor<2x2xi64>, tensor<2xf16>) -> tensor<4x4xf32>
  return
}

// -----

func.func @scatter_bool_reduction(%x: tensor<4xi1>, %i: tensor<2x1xi64>, %u: tensor<2xi1>) {
  // expected-error @+2 {{'mllm.scatter_nd' op reduction 'max' needs a numeric element type, got i1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_nd %x[%i], %u reduction = max : (tensor<4xi1>, tensor<2x1xi64>, tensor<2xi1>) -> tensor<4xi1>
  return
}
