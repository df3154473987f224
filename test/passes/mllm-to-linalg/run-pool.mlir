// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// pool and conv_transpose lowered to loops and run on the CPU; the expected
// values are ONNX Runtime's (MaxPool, AveragePool, LpPool, ConvTranspose
// with the same attributes).

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @print(%t: tensor<1x1x?xf32>) {
  %u = tensor.cast %t : tensor<1x1x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  // Max 3x3, stride 2, padded by 1: padding never wins over -5.
  // CHECK: {{\[}}[5,   20],
  // CHECK-NEXT: [13,   20]]]]
  %x = arith.constant dense<[[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 20.0, 7.0], [8.0, 9.0, 10.0, 11.0], [-5.0, 13.0, 14.0, 15.0]]]]> : tensor<1x1x4x4xf32>
  %m = mllm.pool max %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  %mu = tensor.cast %m : tensor<1x1x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%mu) : (tensor<*xf32>) -> ()

  // Average with ceil_mode over [1..7]: the pad is not counted, or is with
  // count_include_pad; the overhang of the last window never is.
  // CHECK: {{\[}}[1.5,   3,   5,   6.5]]]
  // CHECK: {{\[}}[1,   3,   5,   6.5]]]
  %a = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]]]> : tensor<1x1x7xf32>
  %a0 = mllm.pool avg %a kernel = [3] strides = [2] dilations = [1] pads = [1, 0] {ceil_mode} : tensor<1x1x7xf32> -> tensor<1x1x4xf32>
  %a0d = tensor.cast %a0 : tensor<1x1x4xf32> to tensor<1x1x?xf32>
  call @print(%a0d) : (tensor<1x1x?xf32>) -> ()
  %a1 = mllm.pool avg %a kernel = [3] strides = [2] dilations = [1] pads = [1, 0] {ceil_mode, count_include_pad} : tensor<1x1x7xf32> -> tensor<1x1x4xf32>
  %a1d = tensor.cast %a1 : tensor<1x1x4xf32> to tensor<1x1x?xf32>
  call @print(%a1d) : (tensor<1x1x?xf32>) -> ()
  // Dilation 2 with pads on both sides: border windows average one tap.
  // CHECK: {{\[}}[2,   2,   3,   4,   5,   6,   6]]]
  %ad = mllm.pool avg %a kernel = [2] strides = [1] dilations = [2] pads = [1, 1] : tensor<1x1x7xf32> -> tensor<1x1x7xf32>
  %add = tensor.cast %ad : tensor<1x1x7xf32> to tensor<1x1x?xf32>
  call @print(%add) : (tensor<1x1x?xf32>) -> ()

  // Lp pooling, p = 2 with a pad and p = 3 (by multiplication).
  // CHECK: {{\[}}[3,   5,   4.12311,   2.23607,   2.82843]]]
  // CHECK: {{\[}}[4.51436,   2.57128]]]
  %l = arith.constant dense<[[[3.0, -4.0, 1.0, 2.0, -2.0]]]> : tensor<1x1x5xf32>
  %l2 = mllm.pool lp %l kernel = [2] strides = [1] dilations = [1] pads = [1, 0] : tensor<1x1x5xf32> -> tensor<1x1x5xf32>
  %l2d = tensor.cast %l2 : tensor<1x1x5xf32> to tensor<1x1x?xf32>
  call @print(%l2d) : (tensor<1x1x?xf32>) -> ()
  %l3 = mllm.pool lp %l kernel = [3] strides = [2] dilations = [1] pads = [0, 0] p = 3 : tensor<1x1x5xf32> -> tensor<1x1x2xf32>
  %l3d = tensor.cast %l3 : tensor<1x1x2xf32> to tensor<1x1x?xf32>
  call @print(%l3d) : (tensor<1x1x?xf32>) -> ()

  // Max with indices, row-major then column-major.
  // CHECK: {{\[}}[1,   1],
  // CHECK-NEXT: [3,   5]]]]
  // CHECK: {{\[}}[3,   3],
  // CHECK-NEXT: [1,   7]]]]
  %i = arith.constant dense<[[[[1.0, 9.0, 2.0], [8.0, 3.0, 7.0], [4.0, 6.0, 5.0]]]]> : tensor<1x1x3x3xf32>
  %v0, %i0 = mllm.pool max %i kernel = [2, 2] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] {storage_order = 0 : i64} : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
  %i0u = tensor.cast %i0 : tensor<1x1x2x2xi64> to tensor<*xi64>
  call @printMemrefI64(%i0u) : (tensor<*xi64>) -> ()
  %v1, %i1 = mllm.pool max %i kernel = [2, 2] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] {storage_order = 1 : i64} : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
  %i1u = tensor.cast %i1 : tensor<1x1x2x2xi64> to tensor<*xi64>
  call @printMemrefI64(%i1u) : (tensor<*xi64>) -> ()

  // conv_transpose 1-D, stride 2, cropped by pads [1, 2], output_padding 1.
  // CHECK: {{\[}}[10,   102,   20,   203,   30]]]
  %cx = arith.constant dense<[[[1.0, 2.0, 3.0]]]> : tensor<1x1x3xf32>
  %cw = arith.constant dense<[[[1.0, 10.0, 100.0]]]> : tensor<1x1x3xf32>
  %c = mllm.conv_transpose %cx, %cw strides = [2] dilations = [1] pads = [1, 2] output_padding = [1] : (tensor<1x1x3xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  %cd = tensor.cast %c : tensor<1x1x5xf32> to tensor<1x1x?xf32>
  call @print(%cd) : (tensor<1x1x?xf32>) -> ()

  // Two groups with dilation 2.
  // CHECK: {{\[}}[1,   2,   -1,   -2],
  // CHECK-NEXT: [6,   8,   3,   4]]]
  %gx = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>
  %gw = arith.constant dense<[[[1.0, -1.0]], [[2.0, 1.0]]]> : tensor<2x1x2xf32>
  %g = mllm.conv_transpose %gx, %gw strides = [1] dilations = [2] pads = [0, 0] output_padding = [0] group = 2 : (tensor<1x2x2xf32>, tensor<2x1x2xf32>) -> tensor<1x2x4xf32>
  %gu = tensor.cast %g : tensor<1x2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%gu) : (tensor<*xf32>) -> ()
  return
}
