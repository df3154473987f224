// RUN: mllmc-opt %s -split-input-file -verify-diagnostics

func.func @gather_axis(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>) {
  // expected-error @+2 {{'mllm.gather_elements' op axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_elements %x[%i] axis = 2 : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gather_rank(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'mllm.gather_elements' op indices must have the rank of data (2), got 'tensor<2xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_elements %x[%i] axis = 1 : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_off_axis(%x: tensor<4x8xf32>, %i: tensor<5x2xi64>) {
  // expected-error @+2 {{'mllm.gather_elements' op dimension 0 of indices (5) exceeds the data's (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_elements %x[%i] axis = 1 : (tensor<4x8xf32>, tensor<5x2xi64>) -> tensor<5x2xf32>
  return
}

// -----

func.func @gather_index_type(%x: tensor<4x8xf32>, %i: tensor<4x2xf32>) {
  // expected-error @+1 {{'mllm.gather_elements' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4x2xf32>'}}
  %0 = mllm.gather_elements %x[%i] axis = 1 : (tensor<4x8xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gather_result(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>) {
  // expected-error @+2 {{'mllm.gather_elements' op inferred type(s) 'tensor<4x2xf32>' are incompatible with return type(s) of operation 'tensor<4x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_elements %x[%i] axis = 1 : (tensor<4x8xf32>, tensor<4x2xi64>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_updates_shape(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x3xf32>) {
  // expected-error @+2 {{'mllm.scatter_elements' op updates must have the shape of indices ([4, 2]), got 'tensor<4x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_elements %x[%i], %u axis = 1 : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x3xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_element_type(%x: tensor<4x8xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf16>) {
  // expected-error @+2 {{'mllm.scatter_elements' op updates element type 'f16' differs from the data's 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_elements %x[%i], %u axis = 1 : (tensor<4x8xf32>, tensor<4x2xi64>, tensor<4x2xf16>) -> tensor<4x8xf32>
  return
}

// -----

func.func @scatter_bool_reduction(%x: tensor<4xi1>, %i: tensor<2xi64>, %u: tensor<2xi1>) {
  // expected-error @+2 {{'mllm.scatter_elements' op reduction 'mul' needs a numeric element type, got i1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_elements %x[%i], %u axis = 0 reduction = mul : (tensor<4xi1>, tensor<2xi64>, tensor<2xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @scatter_scalar(%x: tensor<f32>, %i: tensor<i64>, %u: tensor<f32>) {
  // expected-error @+2 {{'mllm.scatter_elements' op data must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.scatter_elements %x[%i], %u axis = 0 : (tensor<f32>, tensor<i64>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @gather_nd_depth(%x: tensor<4x8xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+2 {{'mllm.gather_nd' op the last dimension of indices (3) must lie in [1, 2], the rank of data less batch_dims, got data 'tensor<4x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_nd %x[%i] : (tensor<4x8xf32>, tensor<2x3xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch_dims(%x: tensor<4x8xf32>, %i: tensor<1xi64>) {
  // expected-error @+2 {{'mllm.gather_nd' op batch_dims (1) must lie in [0, 0], below the rank of indices}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_nd %x[%i] batch_dims = 1 : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_batch_mismatch(%x: tensor<4x8xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+2 {{'mllm.gather_nd' op batch dimension 0 differs between data ('tensor<4x8xf32>') and indices ('tensor<3x1xi64>')}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.gather_nd %x[%i] batch_dims = 1 : (tensor<4x8xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}
