// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// conv, arg_max and arg_min lowered to loops and run on the CPU; the
// expected values were computed with NumPy.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @main() {
  // 2-D, padded by 1 on every side, stride 2, with bias: a 3x3 box sum
  // (+0.5) and center minus bottom-right (-1).
  // CHECK: {{\[}}[10.5,   24.5],
  // CHECK-NEXT: [51.5,   90.5]],
  // CHECK-NEXT: {{\[}}[-6,   -6],
  // CHECK-NEXT: [-6,   -6]]]]
  %x = arith.constant dense<[[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0]]]]> : tensor<1x1x4x4xf32>
  %w = arith.constant dense<[[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]],
                             [[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]]]]> : tensor<2x1x3x3xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %c = mllm.conv %x, %w, %b strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %cu = tensor.cast %c : tensor<1x2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%cu) : (tensor<*xf32>) -> ()

  // Depthwise 1-D (group = 2), padded on the left (causal), with bias.
  // CHECK: {{\[}}[-1,   -1,   -1,   -1,   -1],
  // CHECK-NEXT: [110,   140,   170,   200,   230]]]
  %dx = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0, 5.0], [10.0, 20.0, 30.0, 40.0, 50.0]]]> : tensor<1x2x5xf32>
  %dw = arith.constant dense<[[[1.0, -1.0]], [[2.0, 1.0]]]> : tensor<2x1x2xf32>
  %db = arith.constant dense<[0.0, 100.0]> : tensor<2xf32>
  %d = mllm.conv %dx, %dw, %db strides = [1] dilations = [1] pads = [1, 0] group = 2 : (tensor<1x2x5xf32>, tensor<2x1x2xf32>, tensor<2xf32>) -> tensor<1x2x5xf32>
  %du = tensor.cast %d : tensor<1x2x5xf32> to tensor<*xf32>
  call @printMemrefF32(%du) : (tensor<*xf32>) -> ()

  // f16 1-D with stride 2 and dilation 2 (accumulated in f32).
  // CHECK: {{\[}}[31,   53,   75]]]
  %hx = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]]]> : tensor<1x1x7xf16>
  %hw = arith.constant dense<[[[1.0, 10.0]]]> : tensor<1x1x2xf16>
  %h = mllm.conv %hx, %hw strides = [2] dilations = [2] pads = [0, 0] : (tensor<1x1x7xf16>, tensor<1x1x2xf16>) -> tensor<1x1x3xf16>
  %hf = mllm.cast %h : tensor<1x1x3xf16> to tensor<1x1x3xf32>
  %hu = tensor.cast %hf : tensor<1x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%hu) : (tensor<*xf32>) -> ()

  // Ties: the first index, or the last with select_last_index.
  %t = arith.constant dense<[[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, -1.0]]> : tensor<2x4xf32>
  // CHECK: [1,  0]
  %a0 = mllm.arg_max %t axis = 1 keepdims = false : tensor<2x4xf32> -> tensor<2xi64>
  %a0u = tensor.cast %a0 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%a0u) : (tensor<*xi64>) -> ()
  // CHECK: [2,  1]
  %a1 = mllm.arg_max %t axis = 1 keepdims = false select_last_index : tensor<2x4xf32> -> tensor<2xi64>
  %a1u = tensor.cast %a1 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%a1u) : (tensor<*xi64>) -> ()
  // CHECK: [3,  2]
  %a2 = mllm.arg_min %t axis = 1 keepdims = false : tensor<2x4xf32> -> tensor<2xi64>
  %a2u = tensor.cast %a2 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%a2u) : (tensor<*xi64>) -> ()
  // CHECK: [3,  3]
  %a3 = mllm.arg_min %t axis = 1 keepdims = false select_last_index : tensor<2x4xf32> -> tensor<2xi64>
  %a3u = tensor.cast %a3 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%a3u) : (tensor<*xi64>) -> ()
  // Over the first axis of integers, keepdims.
  // CHECK: {{\[}}[1,   0,   0]]
  %i = arith.constant dense<[[1, 9, 4], [7, -2, 4]]> : tensor<2x3xi32>
  %a4 = mllm.arg_max %i axis = 0 : tensor<2x3xi32> -> tensor<1x3xi64>
  %a4u = tensor.cast %a4 : tensor<1x3xi64> to tensor<*xi64>
  call @printMemrefI64(%a4u) : (tensor<*xi64>) -> ()
  return
}
