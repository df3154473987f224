// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @pool_rank(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op input must have rank >= 3 [N, C, spatial...], got 'tensor<4x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool max %x kernel = [] strides = [] dilations = [] pads = [] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @pool_kernel_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op kernel_shape must have 2 values for each spatial dimension, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool max %x kernel = [2] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @pool_stride(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op strides must be positive, got [0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool avg %x kernel = [2] strides = [0] dilations = [1] pads = [0, 0] : tensor<1x3x8xf32> -> tensor<1x3x7xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op pads [3, 0] must be smaller than the window (3) in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool max %x kernel = [3] strides = [1] dilations = [1] pads = [3, 0] : tensor<1x3x8xf32> -> tensor<1x3x9xf32>
  return
}

// -----

func.func @pool_too_small(%x: tensor<1x3x2xf32>) {
  // expected-error @+2 {{'mllm.pool' op window of size 2 (dilation 2) does not fit spatial dimension 0 of size 2 padded by 0 and 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool max %x kernel = [2] strides = [1] dilations = [2] pads = [0, 0] : tensor<1x3x2xf32> -> tensor<1x3x1xf32>
  return
}

// -----

func.func @avg_of_integers(%x: tensor<1x3x8xi32>) {
  // expected-error @+2 {{'mllm.pool' op avg pooling needs a float input, got 'tensor<1x3x8xi32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool avg %x kernel = [2] strides = [1] dilations = [1] pads = [0, 0] : tensor<1x3x8xi32> -> tensor<1x3x7xi32>
  return
}

// -----

func.func @lp_p(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op p must be at least 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool lp %x kernel = [2] strides = [1] dilations = [1] pads = [0, 0] p = 0 : tensor<1x3x8xf32> -> tensor<1x3x7xf32>
  return
}

// -----

func.func @indices_of_avg(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op storage_order (the indices result) needs max pooling, got avg}}
  // expected-error @+1 {{failed to infer returned types}}
  %0, %1 = mllm.pool avg %x kernel = [2] strides = [1] dilations = [1] pads = [0, 0] {storage_order = 0 : i64} : tensor<1x3x8xf32> -> tensor<1x3x7xf32>, tensor<1x3x7xi64>
  return
}

// -----

func.func @storage_order(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op storage_order must be 0 (row-major) or 1 (column-major), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0, %1 = mllm.pool max %x kernel = [2] strides = [1] dilations = [1] pads = [0, 0] {storage_order = 2 : i64} : tensor<1x3x8xf32> -> tensor<1x3x7xf32>, tensor<1x3x7xi64>
  return
}

// -----

func.func @pool_result(%x: tensor<1x3x8xf32>) {
  // expected-error @+2 {{'mllm.pool' op inferred type(s) 'tensor<1x3x4xf32>' are incompatible with return type(s) of operation 'tensor<1x3x7xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.pool max %x kernel = [2] strides = [2] dilations = [1] pads = [0, 0] : tensor<1x3x8xf32> -> tensor<1x3x7xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x4x8xf32>, %w: tensor<3x2x3xf32>) {
  // expected-error @+2 {{'mllm.conv_transpose' op weight has 3 input channels but the input has 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv_transpose %x, %w strides = [1] dilations = [1] pads = [0, 0] output_padding = [0] : (tensor<1x4x8xf32>, tensor<3x2x3xf32>) -> tensor<1x2x10xf32>
  return
}

// -----

func.func @conv_transpose_group(%x: tensor<1x4x8xf32>, %w: tensor<4x2x3xf32>) {
  // expected-error @+2 {{'mllm.conv_transpose' op input channels (4) must be a multiple of group (3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv_transpose %x, %w strides = [1] dilations = [1] pads = [0, 0] output_padding = [0] group = 3 : (tensor<1x4x8xf32>, tensor<4x2x3xf32>) -> tensor<1x6x10xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x4x8xf32>, %w: tensor<4x2x3xf32>) {
  // expected-error @+2 {{'mllm.conv_transpose' op output_padding must be non-negative, got [-1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv_transpose %x, %w strides = [1] dilations = [1] pads = [0, 0] output_padding = [-1] : (tensor<1x4x8xf32>, tensor<4x2x3xf32>) -> tensor<1x2x9xf32>
  return
}

// -----

func.func @conv_transpose_crop(%x: tensor<1x4x2xf32>, %w: tensor<4x2x2xf32>) {
  // expected-error @+2 {{'mllm.conv_transpose' op pads 2 and 1 leave no result element in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.conv_transpose %x, %w strides = [1] dilations = [1] pads = [2, 1] output_padding = [0] : (tensor<1x4x2xf32>, tensor<4x2x2xf32>) -> tensor<1x2x1xf32>
  return
}
