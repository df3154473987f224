// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @rank(%x: tensor<4x8xf32>, %c: tensor<4x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op input must have rank 4 [B, H, S, D] or 3 [B, S, H * D], got 'tensor<4x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c : (tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @no_num_heads(%x: tensor<1x3x32xf32>, %c: tensor<3x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op a 3-D input [B, S, H * D] needs num_heads > 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c : (tensor<1x3x32xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<1x3x32xf32>
  return
}

// -----

func.func @hidden_not_multiple(%x: tensor<1x3x30xf32>, %c: tensor<3x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op the input's hidden size 30 is not a multiple of num_heads (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c num_heads = 4 : (tensor<1x3x30xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<1x3x30xf32>
  return
}

// -----

func.func @num_heads_4d(%x: tensor<1x4x3x8xf32>, %c: tensor<3x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op num_heads (2) differs from the input's head dimension 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c num_heads = 2 : (tensor<1x4x3x8xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @element_type(%x: tensor<1x4x3x8xf32>, %c: tensor<3x4xf16>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op cos_cache element type 'f16' differs from the input's 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c : (tensor<1x4x3x8xf32>, tensor<3x4xf16>, tensor<3x4xf16>) -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @cache_shapes(%x: tensor<1x4x3x8xf32>, %c: tensor<3x4xf32>, %s: tensor<5x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op cos_cache 'tensor<3x4xf32>' and sin_cache 'tensor<5x4xf32>' differ in shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %s : (tensor<1x4x3x8xf32>, tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @cache_without_positions(%x: tensor<2x4x3x8xf32>, %c: tensor<50x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op without position_ids the caches must have shape [2, 3, R / 2] or [3, R / 2], got 'tensor<50x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>) -> tensor<2x4x3x8xf32>
  return
}

// -----

func.func @cache_with_positions(%x: tensor<2x4x3x8xf32>, %c: tensor<2x3x4xf32>, %p: tensor<2x3xi64>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op with position_ids the caches must have rank 2 [max_position, R / 2], got 'tensor<2x3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c positions %p : (tensor<2x4x3x8xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3xi64>) -> tensor<2x4x3x8xf32>
  return
}

// -----

func.func @positions_shape(%x: tensor<2x4x3x8xf32>, %c: tensor<50x4xf32>, %p: tensor<2x5xi64>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op position_ids must have shape [2, 3], [1, 3] or [1] (an offset), got 'tensor<2x5xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c positions %p : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<2x5xi64>) -> tensor<2x4x3x8xf32>
  return
}

// -----

func.func @positions_type(%x: tensor<2x4x3x8xf32>, %c: tensor<50x4xf32>, %p: tensor<2x3xf32>) {
  // expected-error @+1 {{operand #3 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = mllm.rotary_embedding %x, %c, %c positions %p : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<2x3xf32>) -> tensor<2x4x3x8xf32>
  return
}

// -----

func.func @odd_rotary_dim(%x: tensor<1x4x3x8xf32>, %c: tensor<3x2xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op the rotated size R must be even, got 5 (rotary_embedding_dim)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c rotary_embedding_dim = 5 : (tensor<1x4x3x8xf32>, tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @rotary_dim_too_large(%x: tensor<1x4x3x8xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op rotary_embedding_dim (10) exceeds the head size 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c rotary_embedding_dim = 10 : (tensor<1x4x3x8xf32>, tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @cache_width(%x: tensor<1x4x3x8xf32>, %c: tensor<3x2xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op the caches' last dimension (2) must be half the rotated size R = 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c : (tensor<1x4x3x8xf32>, tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<1x4x3x8xf32>
  return
}

// -----

func.func @result_type(%x: tensor<1x4x3x8xf32>, %c: tensor<3x4xf32>) {
  // expected-error @+2 {{'mllm.rotary_embedding' op inferred type(s) 'tensor<1x4x3x8xf32>' are incompatible with return type(s) of operation 'tensor<1x4x3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mllm.rotary_embedding %x, %c, %c : (tensor<1x4x3x8xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<1x4x3x4xf32>
  return
}
