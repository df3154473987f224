// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of mllm.pool and mllm.conv_transpose; p = 2 and group = 1 are
// the defaults and not printed.

// CHECK-LABEL: func @pool
func.func @pool(%img: tensor<1x64x112x112xf32>, %a: tensor<2x8x?xf16>,
                %v: tensor<1x2x5x6x7xf32>, %u: tensor<1x3x4x4xui8>) {
  // A ResNet stem: 3x3, stride 2, pad 1: (112 + 2 - 3) / 2 + 1 = 56.
  // CHECK: mllm.pool max %{{.*}} kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  %0 = mllm.pool max %img kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  // An audio 1-D average over a dynamic length stays dynamic.
  // CHECK: mllm.pool avg %{{.*}} kernel = [3] strides = [2] dilations = [1] pads = [1, 0] {count_include_pad} : tensor<2x8x?xf16> -> tensor<2x8x?xf16>
  %1 = mllm.pool avg %a kernel = [3] strides = [2] dilations = [1] pads = [1, 0] {count_include_pad} : tensor<2x8x?xf16> -> tensor<2x8x?xf16>
  // ceil_mode: ceil((5 - 2) / 2) + 1 = 3, ceil((6 - 2) / 2) + 1 = 3,
  // ceil((7 - 2) / 2) + 1 = 4 whose last window would start at 6 < 7.
  // CHECK: mllm.pool lp %{{.*}} kernel = [2, 2, 2] strides = [2, 2, 2] dilations = [1, 1, 1] pads = [0, 0, 0, 0, 0, 0] p = 3 {ceil_mode} : tensor<1x2x5x6x7xf32> -> tensor<1x2x3x3x4xf32>
  %2 = mllm.pool lp %v kernel = [2, 2, 2] strides = [2, 2, 2] dilations = [1, 1, 1] pads = [0, 0, 0, 0, 0, 0] p = 3 {ceil_mode} : tensor<1x2x5x6x7xf32> -> tensor<1x2x3x3x4xf32>
  // Max of unsigned bytes with the column-major indices.
  // CHECK: mllm.pool max %{{.*}} kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] {storage_order = 1 : i64} : tensor<1x3x4x4xui8> -> tensor<1x3x2x2xui8>, tensor<1x3x2x2xi64>
  %3, %4 = mllm.pool max %u kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] {storage_order = 1 : i64} : tensor<1x3x4x4xui8> -> tensor<1x3x2x2xui8>, tensor<1x3x2x2xi64>
  return
}

// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x3x3xf32>,
                          %s: tensor<2x6x5xf32>, %k: tensor<6x2x4xf32>,
                          %b: tensor<6xf32>) {
  // 2 * (4 - 1) + 1 + 1 * 2 + 1 - 1 - 1 = 8.
  // CHECK: mllm.conv_transpose %{{.*}}, %{{.*}} strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] output_padding = [1, 1] : (tensor<1x8x4x4xf32>, tensor<8x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  %0 = mllm.conv_transpose %x, %w strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] output_padding = [1, 1] : (tensor<1x8x4x4xf32>, tensor<8x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  // Grouped 1-D with bias: 6 channels in 3 groups of 2 filters, dilation 2:
  // 3 * (5 - 1) + 2 * (4 - 1) + 1 = 19.
  // CHECK: mllm.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} strides = [3] dilations = [2] pads = [0, 0] output_padding = [0] group = 3 : (tensor<2x6x5xf32>, tensor<6x2x4xf32>, tensor<6xf32>) -> tensor<2x6x19xf32>
  %1 = mllm.conv_transpose %s, %k, %b strides = [3] dilations = [2] pads = [0, 0] output_padding = [0] group = 3 : (tensor<2x6x5xf32>, tensor<6x2x4xf32>, tensor<6xf32>) -> tensor<2x6x19xf32>
  return
}
