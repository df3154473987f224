// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

// Inference errors are followed by upstream's "failed to infer returned types"
// on the same op; both are expected below.

func.func @softmax_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'mllm.softmax' op axis 2 is out of range [0, 2)}}
  %0 = mllm.softmax %x axis = 2 : tensor<4x8xf32>
  return
}

// -----

func.func @softmax_negative_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'mllm.softmax' op axis -1 is out of range [0, 2)}}
  %0 = mllm.softmax %x axis = -1 : tensor<4x8xf32>
  return
}

// -----

func.func @softmax_int(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'mllm.softmax' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float values}}
  %0 = mllm.softmax %x axis = 1 : tensor<4x8xi32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'mllm.layer_norm' op axis 2 is out of range [0, 2)}}
  %0 = mllm.layer_norm %x, %g axis = 2 epsilon = 1.0e-05 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'mllm.layer_norm' op epsilon must be finite and non-negative, got -1.000000e+00}}
  %0 = mllm.layer_norm %x, %g axis = 1 epsilon = -1.0 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x8xf32>, %g: tensor<2x8xf32>) {
  // The scale covers input.shape[axis:] = [8] only.
  // expected-error @+1 {{'mllm.layer_norm' op scale of type 'tensor<2x8xf32>' does not broadcast to the normalized shape [8] (input dims 1..)}}
  %0 = mllm.layer_norm %x, %g axis = 1 epsilon = 1.0e-05 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'mllm.layer_norm' op bias of type 'tensor<4xf32>' does not broadcast to the normalized shape [8] (input dims 1..)}}
  %0 = mllm.layer_norm %x, %g, %b axis = 1 epsilon = 1.0e-05 : (tensor<2x8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_bias_type(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf16>) {
  // expected-error @+1 {{'mllm.layer_norm' op bias element type 'f16' differs from the input's 'f32'}}
  %0 = mllm.layer_norm %x, %g, %b axis = 1 epsilon = 1.0e-05 : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf16>) -> tensor<2x8xf32>
  return
}

// -----

func.func @layer_norm_result(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'mllm.layer_norm' op inferred type(s) 'tensor<2x8xf32>' are incompatible with return type(s) of operation 'tensor<2x?xf32>'}}
  // expected-error @+1 {{'mllm.layer_norm' op failed to infer returned types}}
  %0 = mllm.layer_norm %x, %g axis = 1 epsilon = 1.0e-05 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x?xf32>
  return
}

// -----

func.func @rms_norm_scale(%x: tensor<2x8xf32>, %g: tensor<7xf32>) {
  // expected-error @+1 {{'mllm.rms_norm' op scale of type 'tensor<7xf32>' does not broadcast to the normalized shape [8] (input dims 1..)}}
  %0 = mllm.rms_norm %x, %g axis = 1 epsilon = 1.0e-06 : (tensor<2x8xf32>, tensor<7xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @rms_norm_epsilon(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'mllm.rms_norm' op epsilon must be finite and non-negative, got INF}}
  %0 = mllm.rms_norm %x, %g axis = 1 epsilon = 0x7F800000 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+2 {{'mllm.matmul' op operands must have rank >= 2, got 'tensor<8xf32>' and 'tensor<8x4xf32>'}}
  // expected-error @+1 {{'mllm.matmul' op failed to infer returned types}}
  %0 = mllm.matmul %a, %b : (tensor<8xf32>, tensor<8x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @matmul_k(%a: tensor<2x8xf32>, %b: tensor<7x4xf32>) {
  // expected-error @+2 {{'mllm.matmul' op contraction sizes differ: lhs has 8 columns, rhs has 7 rows}}
  // expected-error @+1 {{'mllm.matmul' op failed to infer returned types}}
  %0 = mllm.matmul %a, %b : (tensor<2x8xf32>, tensor<7x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<3x2x8xf32>, %b: tensor<4x8x4xf32>) {
  // expected-error @+2 {{'mllm.matmul' op batch dimensions are not broadcastable: 'tensor<3x2x8xf32>' and 'tensor<4x8x4xf32>'}}
  // expected-error @+1 {{'mllm.matmul' op failed to infer returned types}}
  %0 = mllm.matmul %a, %b : (tensor<3x2x8xf32>, tensor<4x8x4xf32>) -> tensor<3x2x4xf32>
  return
}

// -----

func.func @matmul_element_type(%a: tensor<2x8xf32>, %b: tensor<8x4xf16>) {
  // expected-error @+2 {{'mllm.matmul' op operands must have the same element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{'mllm.matmul' op failed to infer returned types}}
  %0 = mllm.matmul %a, %b : (tensor<2x8xf32>, tensor<8x4xf16>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_weight_rank(%x: tensor<2x8xf32>, %w: tensor<1x8x4xf32>) {
  // expected-error @+2 {{'mllm.linear' op weight must have rank 2, got 'tensor<1x8x4xf32>'}}
  // expected-error @+1 {{'mllm.linear' op failed to infer returned types}}
  %0 = mllm.linear %x, %w : (tensor<2x8xf32>, tensor<1x8x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_k(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) {
  // A PyTorch-layout [N, K] weight is rejected: linear takes [K, N].
  // expected-error @+2 {{'mllm.linear' op weight has 4 rows but the input's last dimension is 8}}
  // expected-error @+1 {{'mllm.linear' op failed to infer returned types}}
  %0 = mllm.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'mllm.linear' op bias must have shape [4] to match weight, got 'tensor<8xf32>'}}
  // expected-error @+1 {{'mllm.linear' op failed to infer returned types}}
  %0 = mllm.linear %x, %w, %b : (tensor<2x8xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<8x4xf32>) {
  // expected-error @+2 {{'mllm.linear' op input must have rank >= 1}}
  // expected-error @+1 {{'mllm.linear' op failed to infer returned types}}
  %0 = mllm.linear %x, %w : (tensor<f32>, tensor<8x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @linear_element_type(%x: tensor<2x8xf32>, %w: tensor<8x4xbf16>) {
  // expected-error @+2 {{'mllm.linear' op weight element type 'bf16' differs from the input's 'f32'}}
  // expected-error @+1 {{'mllm.linear' op failed to infer returned types}}
  %0 = mllm.linear %x, %w : (tensor<2x8xf32>, tensor<8x4xbf16>) -> tensor<2x4xf32>
  return
}
