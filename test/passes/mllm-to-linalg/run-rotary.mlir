// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// rotary_embedding lowered to loops and run on the CPU; the expected values
// come from the ONNX reference implementation
// (onnx.reference.ops.op_rotary_embedding).

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]],
                              [[12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0]]]]> : tensor<1x2x3x4xf32>
  %cos = arith.constant dense<[[1.0, 1.0], [0.0, 0.5], [-1.0, 0.0], [0.5, 2.0]]> : tensor<4x2xf32>
  %sin = arith.constant dense<[[0.0, 0.0], [1.0, 0.5], [0.0, 1.0], [2.0, -1.0]]> : tensor<4x2xf32>
  %pos = arith.constant dense<[[2, 0, 3]]> : tensor<1x3xi64>

  // Rotate-half, positions per token.
  // CHECK: {{\[}}[-0,   -3,   -2,   1],
  // CHECK-NEXT: [4,   5,   6,   7],
  // CHECK-NEXT: [-16,   29,   21,   13]],
  // CHECK-NEXT: {{\[}}[-12,   -15,   -14,   13],
  // CHECK-NEXT: [16,   17,   18,   19],
  // CHECK-NEXT: [-34,   65,   51,   25]]]]
  %0 = mllm.rotary_embedding %x, %cos, %sin positions %pos : (tensor<1x2x3x4xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<1x3xi64>) -> tensor<1x2x3x4xf32>
  %r0u = tensor.cast %0 : tensor<1x2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%r0u) : (tensor<*xf32>) -> ()

  // Interleaved.
  // CHECK: {{\[}}[-0,   -1,   -3,   2],
  // CHECK-NEXT: [4,   5,   6,   7],
  // CHECK-NEXT: [-14,   20.5,   31,   12]],
  // CHECK-NEXT: {{\[}}[-12,   -13,   -15,   14],
  // CHECK-NEXT: [16,   17,   18,   19],
  // CHECK-NEXT: [-32,   50.5,   67,   24]]]]
  %1 = mllm.rotary_embedding %x, %cos, %sin positions %pos interleaved : (tensor<1x2x3x4xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<1x3xi64>) -> tensor<1x2x3x4xf32>
  %r1u = tensor.cast %1 : tensor<1x2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%r1u) : (tensor<*xf32>) -> ()

  // An i32 offset 1: token s is at position 1 + s.
  // CHECK: {{\[}}[-2,   -1,   0,   2],
  // CHECK-NEXT: [-4,   -7,   -6,   5],
  // CHECK-NEXT: [-16,   29,   21,   13]],
  // CHECK-NEXT: {{\[}}[-14,   -1,   12,   14],
  // CHECK-NEXT: [-16,   -19,   -18,   17],
  // CHECK-NEXT: [-34,   65,   51,   25]]]]
  %off = arith.constant dense<[1]> : tensor<1xi32>
  %2 = mllm.rotary_embedding %x, %cos, %sin positions %off : (tensor<1x2x3x4xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<1xi32>) -> tensor<1x2x3x4xf32>
  %r2u = tensor.cast %2 : tensor<1x2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%r2u) : (tensor<*xf32>) -> ()

  // 3-D [B, S, H * D] with two heads of 4, per-token caches [B, S, R / 2]:
  // interleaved partial rotation (R = 2), the rest copies through.
  // CHECK: {{\[}}[-1,   0.5,   2,   3,   -3,   6.5,   6,   7],
  // CHECK-NEXT: [25,   10,   10,   11,   37,   14,   14,   15]]]
  %x3 = arith.constant dense<[[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]]]> : tensor<1x2x8xf32>
  %c3 = arith.constant dense<[[[0.5], [2.0]]]> : tensor<1x2x1xf32>
  %s3 = arith.constant dense<[[[1.0], [-1.0]]]> : tensor<1x2x1xf32>
  %3 = mllm.rotary_embedding %x3, %c3, %s3 interleaved rotary_embedding_dim = 2 num_heads = 2 : (tensor<1x2x8xf32>, tensor<1x2x1xf32>, tensor<1x2x1xf32>) -> tensor<1x2x8xf32>
  %r3u = tensor.cast %3 : tensor<1x2x8xf32> to tensor<*xf32>
  call @printMemrefF32(%r3u) : (tensor<*xf32>) -> ()

  // 3-D with caches [S, R / 2] shared by the batch, whole heads, f16.
  // CHECK: {{\[}}[-2,   1,   1,   3,   -4,   5,   7,   7],
  // CHECK-NEXT: [26,   -11,   12,   9,   38,   -15,   16,   13]]]
  %h = mllm.cast %x3 : tensor<1x2x8xf32> to tensor<1x2x8xf16>
  %ch = arith.constant dense<[[0.5, 1.0], [2.0, 0.0]]> : tensor<2x2xf16>
  %sh = arith.constant dense<[[1.0, 0.0], [-1.0, 1.0]]> : tensor<2x2xf16>
  %4 = mllm.rotary_embedding %h, %ch, %sh num_heads = 2 : (tensor<1x2x8xf16>, tensor<2x2xf16>, tensor<2x2xf16>) -> tensor<1x2x8xf16>
  %r4f = mllm.cast %4 : tensor<1x2x8xf16> to tensor<1x2x8xf32>
  %r4u = tensor.cast %r4f : tensor<1x2x8xf32> to tensor<*xf32>
  call @printMemrefF32(%r4u) : (tensor<*xf32>) -> ()
  return
}
