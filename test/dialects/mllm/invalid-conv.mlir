// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @rank_too_small(%x: tensor<4x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.conv' op input must have rank >= 3 [N, C, spatial...], got 'tensor<4x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [] dilations = [] pads = [] : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op weight must have rank 4 [F, C / group, kernel...] like the input, got 'tensor<4x3x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : (tensor<1x3x8x8xf32>, tensor<4x3x2xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @element_types(%x: tensor<1x3x8xf32>, %w: tensor<4x3x2xf16>) {
  // expected-error @+2 {{'mllm.conv' op weight element type 'f16' differs from the input's 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [0, 0] : (tensor<1x3x8xf32>, tensor<4x3x2xf16>) -> tensor<1x4x7xf32>
  return
}

// -----

func.func @pads_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x2x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op pads must have 4 values for the begin and end of each spatial dimension, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1, 1] dilations = [1, 1] pads = [0, 0] : (tensor<1x3x8x8xf32>, tensor<4x3x2x2xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @zero_stride(%x: tensor<1x3x8xf32>, %w: tensor<4x3x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op strides must be positive, got [0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [0] dilations = [1] pads = [0, 0] : (tensor<1x3x8xf32>, tensor<4x3x2xf32>) -> tensor<1x4x7xf32>
  return
}

// -----

func.func @negative_pad(%x: tensor<1x3x8xf32>, %w: tensor<4x3x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op pads must be non-negative, got [-1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [-1, 0] : (tensor<1x3x8xf32>, tensor<4x3x2xf32>) -> tensor<1x4x6xf32>
  return
}

// -----

func.func @channels_vs_group(%x: tensor<1x6x8xf32>, %w: tensor<4x2x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op weight has 2 channels per group but the input has 6 channels in 2 group(s)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [0, 0] group = 2 : (tensor<1x6x8xf32>, tensor<4x2x2xf32>) -> tensor<1x4x7xf32>
  return
}

// -----

func.func @filters_vs_group(%x: tensor<1x6x8xf32>, %w: tensor<5x2x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op weight filters (5) must be a multiple of group (3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [0, 0] group = 3 : (tensor<1x6x8xf32>, tensor<5x2x2xf32>) -> tensor<1x5x7xf32>
  return
}

// -----

func.func @zero_group(%x: tensor<1x6x8xf32>, %w: tensor<6x2x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op group must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [0, 0] group = 0 : (tensor<1x6x8xf32>, tensor<6x2x2xf32>) -> tensor<1x6x7xf32>
  return
}

// -----

func.func @bias_shape(%x: tensor<1x3x8xf32>, %w: tensor<4x3x2xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'mllm.conv' op bias must have shape [4] (one value per filter), got 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w, %b strides = [1] dilations = [1] pads = [0, 0] : (tensor<1x3x8xf32>, tensor<4x3x2xf32>, tensor<3xf32>) -> tensor<1x4x7xf32>
  return
}

// -----

func.func @kernel_too_large(%x: tensor<1x3x4xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+2 {{'mllm.conv' op kernel of size 3 (dilation 2) does not fit spatial dimension 0 of size 4 padded by 0 and 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [2] pads = [0, 0] : (tensor<1x3x4xf32>, tensor<4x3x3xf32>) -> tensor<1x4x1xf32>
  return
}

// -----

func.func @wrong_result(%x: tensor<1x3x8xf32>, %w: tensor<4x3x2xf32>) {
  // expected-error @+2 {{'mllm.conv' op inferred type(s) 'tensor<1x4x4xf32>' are incompatible with return type(s) of operation 'tensor<1x4x7xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv %x, %w strides = [2] dilations = [1] pads = [0, 0] : (tensor<1x3x8xf32>, tensor<4x3x2xf32>) -> tensor<1x4x7xf32>
  return
}

// -----

func.func @bool_input(%x: tensor<1x3x8xi1>, %w: tensor<4x3x2xi1>) {
  // expected-error @+1 {{'mllm.conv' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float or 8-, 16-, 32- or 64-bit signless or unsigned integer values, but got 'tensor<1x3x8xi1>'}}
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [0, 0] : (tensor<1x3x8xi1>, tensor<4x3x2xi1>) -> tensor<1x4x7xi1>
  return
}
