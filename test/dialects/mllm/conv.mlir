// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of mllm.conv; group = 1 is the default and not printed.

// CHECK-LABEL: func @conv
func.func @conv(%img: tensor<1x3x32x32xf32>, %w: tensor<16x3x8x8xf32>,
                %x: tensor<2x4x?xf16>, %k: tensor<4x1x4xf16>, %b: tensor<4xf16>,
                %y: tensor<?x6x9x7xf32>, %g: tensor<8x3x3x2xf32>) {
  // A patch embedding: kernel = stride = 8.
  // CHECK: mllm.conv %{{.*}}, %{{.*}} strides = [8, 8] dilations = [1, 1] pads = [0, 0, 0, 0] : (tensor<1x3x32x32xf32>, tensor<16x3x8x8xf32>) -> tensor<1x16x4x4xf32>
  %0 = mllm.conv %img, %w strides = [8, 8] dilations = [1, 1] pads = [0, 0, 0, 0] : (tensor<1x3x32x32xf32>, tensor<16x3x8x8xf32>) -> tensor<1x16x4x4xf32>
  // Depthwise 1-D with bias and a causal (left) pad: the dynamic length
  // stays dynamic.
  // CHECK: mllm.conv %{{.*}}, %{{.*}}, %{{.*}} strides = [1] dilations = [1] pads = [3, 0] group = 4 : (tensor<2x4x?xf16>, tensor<4x1x4xf16>, tensor<4xf16>) -> tensor<2x4x?xf16>
  %1 = mllm.conv %x, %k, %b strides = [1] dilations = [1] pads = [3, 0] group = 4 : (tensor<2x4x?xf16>, tensor<4x1x4xf16>, tensor<4xf16>) -> tensor<2x4x?xf16>
  // Grouped, strided, dilated and asymmetrically padded, dynamic batch:
  // H = (9 + 1 + 2 - 2 * 2 - 1) / 2 + 1 = 4, W = (7 + 0 + 1 - 1 * 1 - 1) / 3 + 1 = 3.
  // CHECK: mllm.conv %{{.*}}, %{{.*}} strides = [2, 3] dilations = [2, 1] pads = [1, 0, 2, 1] group = 2 : (tensor<?x6x9x7xf32>, tensor<8x3x3x2xf32>) -> tensor<?x8x4x3xf32>
  %2 = mllm.conv %y, %g strides = [2, 3] dilations = [2, 1] pads = [1, 0, 2, 1] group = 2 : (tensor<?x6x9x7xf32>, tensor<8x3x3x2xf32>) -> tensor<?x8x4x3xf32>
  return
}
