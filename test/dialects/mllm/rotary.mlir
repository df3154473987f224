// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of mllm.rotary_embedding; rotary_embedding_dim = 0 and
// num_heads = 0 are the defaults and not printed.

// CHECK-LABEL: func @rotary
func.func @rotary(%x: tensor<2x4x3x8xf32>, %cos: tensor<50x4xf32>, %sin: tensor<50x4xf32>,
                  %pos: tensor<2x3xi64>, %offset: tensor<1xi32>,
                  %h: tensor<1x?x32xf16>, %c3: tensor<1x?x2xf16>, %s3: tensor<1x?x2xf16>,
                  %d: tensor<?x8x?x64xbf16>, %cd: tensor<?x32xbf16>, %sd: tensor<?x32xbf16>,
                  %p1: tensor<1x?xi64>) {
  // LLaMA: 4-D input, whole head rotated, positions per token.
  // CHECK: mllm.rotary_embedding %{{.*}}, %{{.*}}, %{{.*}} positions %{{.*}} : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<2x3xi64>) -> tensor<2x4x3x8xf32>
  %0 = mllm.rotary_embedding %x, %cos, %sin positions %pos : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<2x3xi64>) -> tensor<2x4x3x8xf32>
  // An offset position (ONNX Runtime's 1-element position_ids), interleaved.
  // CHECK: mllm.rotary_embedding %{{.*}}, %{{.*}}, %{{.*}} positions %{{.*}} interleaved num_heads = 4 : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<1xi32>) -> tensor<2x4x3x8xf32>
  %1 = mllm.rotary_embedding %x, %cos, %sin positions %offset interleaved num_heads = 4 : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<1xi32>) -> tensor<2x4x3x8xf32>
  // 3-D input [B, S, H * D] with a dynamic sequence, caches per token,
  // partial rotation of 4 of the 8 elements of each head.
  // CHECK: mllm.rotary_embedding %{{.*}}, %{{.*}}, %{{.*}} rotary_embedding_dim = 4 num_heads = 4 : (tensor<1x?x32xf16>, tensor<1x?x2xf16>, tensor<1x?x2xf16>) -> tensor<1x?x32xf16>
  %2 = mllm.rotary_embedding %h, %c3, %s3 rotary_embedding_dim = 4 num_heads = 4 : (tensor<1x?x32xf16>, tensor<1x?x2xf16>, tensor<1x?x2xf16>) -> tensor<1x?x32xf16>
  // Dynamic batch, sequence and cache length; positions shared by the batch.
  // CHECK: mllm.rotary_embedding %{{.*}}, %{{.*}}, %{{.*}} positions %{{.*}} : (tensor<?x8x?x64xbf16>, tensor<?x32xbf16>, tensor<?x32xbf16>, tensor<1x?xi64>) -> tensor<?x8x?x64xbf16>
  %3 = mllm.rotary_embedding %d, %cd, %sd positions %p1 : (tensor<?x8x?x64xbf16>, tensor<?x32xbf16>, tensor<?x32xbf16>, tensor<1x?xi64>) -> tensor<?x8x?x64xbf16>
  return
}
