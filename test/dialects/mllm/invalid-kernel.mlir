// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

func.func @mixed(%q: tensor<1x2x16x32xf32>, %out: memref<1x2x16x32xf32>) {
  // expected-error @+1 {{takes tensors only or memrefs only}}
  mllm.kernel.attention ins(%q, %q, %q : tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>) outs(%out : memref<1x2x16x32xf32>) {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.0 : f32}
  return
}

// -----

func.func @heads(%q: memref<1x4x16x32xf32>, %k: memref<1x3x16x32xf32>, %out: memref<1x4x16x32xf32>) {
  // expected-error @+1 {{head counts do not match num_heads and num_kv_heads}}
  mllm.kernel.attention ins(%q, %k, %k : memref<1x4x16x32xf32>, memref<1x3x16x32xf32>, memref<1x3x16x32xf32>) outs(%out : memref<1x4x16x32xf32>) {num_heads = 4 : i64, num_kv_heads = 3 : i64, scale = 1.0 : f32}
  return
}

// -----

func.func @shapes(%q: memref<1x2x16x32xf32>, %k: memref<1x2x20x16xf32>, %v: memref<1x2x20x32xf32>, %out: memref<1x2x16x32xf32>) {
  // expected-error @+1 {{operand shapes do not agree}}
  mllm.kernel.attention ins(%q, %k, %v : memref<1x2x16x32xf32>, memref<1x2x20x16xf32>, memref<1x2x20x32xf32>) outs(%out : memref<1x2x16x32xf32>) {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.0 : f32}
  return
}

// -----

func.func @init(%q: memref<1x2x16x32xf32>, %k: memref<1x2x20x32xf32>, %v: memref<1x2x20x64xf32>, %out: memref<1x2x16x32xf32>) {
  // expected-error @+1 {{init must be [B, Hq, Sq, Dv], got 'memref<1x2x16x32xf32>'}}
  mllm.kernel.attention ins(%q, %k, %v : memref<1x2x16x32xf32>, memref<1x2x20x32xf32>, memref<1x2x20x64xf32>) outs(%out : memref<1x2x16x32xf32>) {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.0 : f32}
  return
}

// -----

func.func @result(%q: tensor<1x2x16x32xf32>) {
  %init = tensor.empty() : tensor<1x2x16x32xf32>
  // expected-error @+1 {{returns one result per init on tensors and none on memrefs}}
  mllm.kernel.attention ins(%q, %q, %q : tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>, tensor<1x2x16x32xf32>) outs(%init : tensor<1x2x16x32xf32>) {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.0 : f32}
  return
}

// -----

func.func @partial_inits(%q: memref<1x4x1x32xf32>, %k: memref<1x2x64x32xf32>, %m: memref<1x4x1x2xf32>, %l: memref<1x4x1x2xf32>, %a: memref<1x4x1x3x32xf32>) {
  // expected-error @+1 {{inits must be f32 [B, Hq, Sq, S], [B, Hq, Sq, S] and [B, Hq, Sq, S, Dv]}}
  mllm.kernel.attention_partial ins(%q, %k, %k : memref<1x4x1x32xf32>, memref<1x2x64x32xf32>, memref<1x2x64x32xf32>) outs(%m, %l, %a : memref<1x4x1x2xf32>, memref<1x4x1x2xf32>, memref<1x4x1x3x32xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 1.0 : f32}
  return
}

// -----

func.func @partial_heads(%q: memref<1x4x1x32xf32>, %k: memref<1x3x64x32xf32>, %m: memref<1x4x1x2xf32>, %a: memref<1x4x1x2x32xf32>) {
  // expected-error @+1 {{head counts do not match num_heads and num_kv_heads}}
  mllm.kernel.attention_partial ins(%q, %k, %k : memref<1x4x1x32xf32>, memref<1x3x64x32xf32>, memref<1x3x64x32xf32>) outs(%m, %m, %a : memref<1x4x1x2xf32>, memref<1x4x1x2xf32>, memref<1x4x1x2x32xf32>) {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 1.0 : f32}
  return
}
