// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of the MLLM operations: attention and mlp.

// CHECK-LABEL: func @attention
func.func @attention(%q: tensor<1x8x?x64xf32>, %k: tensor<1x2x?x64xf32>,
                     %v: tensor<1x2x?x32xf32>, %bm: tensor<1x1x?x?xi1>,
                     %fm: tensor<?x?xf32>, %pad: tensor<1x1x1x?xi1>,
                     %qh: tensor<2x4x16x8xf16>, %kh: tensor<2x4x16x8xf16>) {
  // GQA with a boolean mask and the causal flag; Dv may differ from D.
  // CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32} : (tensor<1x8x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x32xf32>, tensor<1x1x?x?xi1>) -> tensor<1x8x?x32xf32>
  %0 = mllm.attention %q, %k, %v mask %bm {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<1x8x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x32xf32>, tensor<1x1x?x?xi1>) -> tensor<1x8x?x32xf32>
  // An additive float mask of rank 2.
  // CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} {num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32} : (tensor<1x8x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x32xf32>, tensor<?x?xf32>) -> tensor<1x8x?x32xf32>
  %1 = mllm.attention %q, %k, %v mask %fm {num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<1x8x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x32xf32>, tensor<?x?xf32>) -> tensor<1x8x?x32xf32>
  // A padding mask [B, 1, 1, Skv].
  // CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} {num_heads = 8
  %2 = mllm.attention %q, %k, %v mask %pad {num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<1x8x?x64xf32>, tensor<1x2x?x64xf32>, tensor<1x2x?x32xf32>, tensor<1x1x1x?xi1>) -> tensor<1x8x?x32xf32>
  // Multi-head attention without a mask, in f16.
  // CHECK: mllm.attention %{{.*}}, %{{.*}}, %{{.*}} {causal, num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 3.535160e-01 : f32} : (tensor<2x4x16x8xf16>, tensor<2x4x16x8xf16>, tensor<2x4x16x8xf16>) -> tensor<2x4x16x8xf16>
  %3 = mllm.attention %qh, %kh, %kh {causal, num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 0.353516 : f32} : (tensor<2x4x16x8xf16>, tensor<2x4x16x8xf16>, tensor<2x4x16x8xf16>) -> tensor<2x4x16x8xf16>
  return
}

// CHECK-LABEL: func @mlp
func.func @mlp(%x: tensor<1x576x1024xf32>, %w1: tensor<1024x4096xf32>,
               %b1: tensor<4096xf32>, %w2: tensor<4096x2048xf32>,
               %b2: tensor<2048xf32>, %y: tensor<1x?x64xf32>,
               %wu: tensor<64x172xf32>, %wg: tensor<64x172xf32>,
               %bg: tensor<172xf32>, %wd: tensor<172x64xf32>) {
  // LLaVA projector: linear, GELU, linear, with biases.
  // CHECK: mllm.mlp gelu %{{.*}} up %{{.*}} bias %{{.*}} down %{{.*}} bias %{{.*}} : (tensor<1x576x1024xf32>, tensor<1024x4096xf32>, tensor<4096xf32>, tensor<4096x2048xf32>, tensor<2048xf32>) -> tensor<1x576x2048xf32>
  %0 = mllm.mlp gelu %x up %w1 bias %b1 down %w2 bias %b2 : (tensor<1x576x1024xf32>, tensor<1024x4096xf32>, tensor<4096xf32>, tensor<4096x2048xf32>, tensor<2048xf32>) -> tensor<1x576x2048xf32>
  // LLaMA FFN: SwiGLU without biases.
  // CHECK: mllm.mlp silu %{{.*}} up %{{.*}} gate %{{.*}} down %{{.*}} : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  %1 = mllm.mlp silu %y up %wu gate %wg down %wd : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  // A gate with its bias, no up bias: the bias keyword binds to the gate.
  // CHECK: mllm.mlp gelu_tanh %{{.*}} up %{{.*}} gate %{{.*}} bias %{{.*}} down %{{.*}} : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  %2 = mllm.mlp gelu_tanh %y up %wu gate %wg bias %bg down %wd : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  // CHECK: mllm.mlp quick_gelu %{{.*}} up %{{.*}} bias %{{.*}} gate %{{.*}} bias %{{.*}} down %{{.*}} :
  %3 = mllm.mlp quick_gelu %y up %wu bias %bg gate %wg bias %bg down %wd : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<172xf32>, tensor<64x172xf32>, tensor<172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  // CHECK: mllm.mlp relu %{{.*}} up %{{.*}} down %{{.*}} : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  %4 = mllm.mlp relu %y up %wu down %wd : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  return
}
