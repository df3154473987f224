// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

// Inference errors are followed by upstream's "failed to infer returned types"
// on the same op; both are expected below. mllm.attention checks its operand
// shapes in its verifier, which reports them once.

func.func @attention_rank(%q: tensor<8x16x64xf32>, %k: tensor<1x8x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op query must have rank 4 [B, H, S, D], got 'tensor<8x16x64xf32>'}}
  %0 = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_element_type(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf16>) {
  // expected-error @+1 {{'mllm.attention' op query, key and value must have the same element type, got 'f32' and 'f16' (key)}}
  %0 = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf16>, tensor<1x8x16x64xf16>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_batch(%q: tensor<2x8x16x64xf32>, %k: tensor<3x8x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op query, key and value batch sizes differ: 2, 3, 3}}
  %0 = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<2x8x16x64xf32>, tensor<3x8x16x64xf32>, tensor<3x8x16x64xf32>) -> tensor<2x8x16x64xf32>
  return
}

// -----

func.func @attention_kv_heads(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x16x64xf32>, %v: tensor<1x4x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op key and value head counts differ: 2 and 4}}
  %0 = mllm.attention %q, %k, %v {num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x4x16x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_kv_length(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x64xf32>, %v: tensor<1x8x17x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op key and value sequence lengths differ: 16 and 17}}
  %0 = mllm.attention %q, %k, %v {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x17x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_head_size(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x16x32xf32>) {
  // expected-error @+1 {{'mllm.attention' op query and key head sizes differ: 64 and 32}}
  %0 = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x32xf32>, tensor<1x8x16x32xf32>) -> tensor<1x8x16x32xf32>
  return
}

// -----

func.func @attention_result(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x?x64xf32>, %v: tensor<1x8x?x32xf32>) {
  // The result takes Dv from value.
  // expected-error @+2 {{'mllm.attention' op inferred type(s) 'tensor<1x8x16x32xf32>' are incompatible with return type(s) of operation 'tensor<1x8x16x64xf32>'}}
  // expected-error @+1 {{'mllm.attention' op failed to infer returned types}}
  %0 = mllm.attention %q, %k, %v {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x?x64xf32>, tensor<1x8x?x32xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_nonpositive_heads(%q: tensor<1x?x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op num_heads and num_kv_heads must be positive, got 0 and 0}}
  %0 = mllm.attention %q, %q, %q {num_heads = 0 : i64, num_kv_heads = 0 : i64, scale = 0.125 : f32} : (tensor<1x?x16x64xf32>, tensor<1x?x16x64xf32>, tensor<1x?x16x64xf32>) -> tensor<1x?x16x64xf32>
  return
}

// -----

func.func @attention_group(%q: tensor<1x8x16x64xf32>, %k: tensor<1x3x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op num_heads (8) must be a multiple of num_kv_heads (3)}}
  %0 = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 3 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x3x16x64xf32>, tensor<1x3x16x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_num_heads(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op query has 8 heads but num_heads is 4}}
  %0 = mllm.attention %q, %k, %k {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x2x16x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_num_kv_heads(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op key and value have 2 heads but num_kv_heads is 4}}
  %0 = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 4 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x2x16x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_scale(%q: tensor<1x8x16x64xf32>) {
  // expected-error @+1 {{'mllm.attention' op scale must be finite, got nan}}
  %0 = mllm.attention %q, %q, %q {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0x7FC00000 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_mask_type(%q: tensor<1x8x16x64xf32>, %m: tensor<16x16xf16>) {
  // expected-error @+1 {{'mllm.attention' op mask must be i1 or the query's element type 'f32', got 'f16'}}
  %0 = mllm.attention %q, %q, %q mask %m {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<16x16xf16>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_mask_shape(%q: tensor<1x8x16x64xf32>, %k: tensor<1x8x?x64xf32>, %m: tensor<1x1x8x?xi1>) {
  // expected-error @+1 {{'mllm.attention' op mask of type 'tensor<1x1x8x?xi1>' does not broadcast to the scores' shape [1, 8, 16, ?] ([B, Hq, Sq, Skv])}}
  %0 = mllm.attention %q, %k, %k mask %m {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x?x64xf32>, tensor<1x8x?x64xf32>, tensor<1x1x8x?xi1>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @attention_mask_shape_static(%q: tensor<1x8x16x64xf32>, %m: tensor<1x1x16x8xi1>) {
  // expected-error @+1 {{'mllm.attention' op mask of type 'tensor<1x1x16x8xi1>' does not broadcast to the scores' shape [1, 8, 16, 16] ([B, Hq, Sq, Skv])}}
  %0 = mllm.attention %q, %q, %q mask %m {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32} : (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x1x16x8xi1>) -> tensor<1x8x16x64xf32>
  return
}

// -----

func.func @mlp_up(%x: tensor<2x64xf32>, %wu: tensor<32x128xf32>, %wd: tensor<128x64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op up_weight has 32 rows but the input's last dimension is 64}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = mllm.mlp gelu %x up %wu down %wd : (tensor<2x64xf32>, tensor<32x128xf32>, tensor<128x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @mlp_gate_width(%x: tensor<2x64xf32>, %wu: tensor<64x128xf32>, %wg: tensor<64x96xf32>, %wd: tensor<128x64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op gate_weight has 96 columns but up_weight has 128}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = mllm.mlp silu %x up %wu gate %wg down %wd : (tensor<2x64xf32>, tensor<64x128xf32>, tensor<64x96xf32>, tensor<128x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @mlp_gate_bias_without_gate(%x: tensor<2x64xf32>, %wu: tensor<64x128xf32>, %b: tensor<128xf32>, %wd: tensor<128x64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op gate_bias needs gate_weight}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = "mllm.mlp"(%x, %wu, %b, %wd) <{activation = 3 : i32, operandSegmentSizes = array<i32: 1, 1, 0, 0, 1, 1, 0>}> : (tensor<2x64xf32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @mlp_down(%x: tensor<2x64xf32>, %wu: tensor<64x128xf32>, %wd: tensor<96x64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op down_weight has 96 rows but the input's last dimension is 128}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = mllm.mlp relu %x up %wu down %wd : (tensor<2x64xf32>, tensor<64x128xf32>, tensor<96x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @mlp_up_bias(%x: tensor<2x64xf32>, %wu: tensor<64x128xf32>, %b: tensor<64xf32>, %wd: tensor<128x64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op up_bias must have shape [128] to match up_weight, got 'tensor<64xf32>'}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = mllm.mlp gelu %x up %wu bias %b down %wd : (tensor<2x64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<128x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @mlp_down_bias(%x: tensor<2x64xf32>, %wu: tensor<64x128xf32>, %wd: tensor<128x32xf32>, %b: tensor<64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op down_bias must have shape [32] to match down_weight, got 'tensor<64xf32>'}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = mllm.mlp gelu %x up %wu down %wd bias %b : (tensor<2x64xf32>, tensor<64x128xf32>, tensor<128x32xf32>, tensor<64xf32>) -> tensor<2x32xf32>
  return
}

// -----

func.func @mlp_element_type(%x: tensor<2x64xf32>, %wu: tensor<64x128xf16>, %wd: tensor<128x64xf32>) {
  // expected-error @+2 {{'mllm.mlp' op up_weight element type 'f16' differs from the input's 'f32'}}
  // expected-error @+1 {{'mllm.mlp' op failed to infer returned types}}
  %0 = mllm.mlp gelu %x up %wu down %wd : (tensor<2x64xf32>, tensor<64x128xf16>, tensor<128x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @mlp_activation(%x: tensor<2x64xf32>, %wu: tensor<64x128xf32>, %wd: tensor<128x64xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'activation' [gelu, gelu_tanh, quick_gelu, silu, relu]}}
  %0 = mllm.mlp swish %x up %wu down %wd : (tensor<2x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x64xf32>
  return
}
