// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// A ResNet stem max pool: padded with -inf, one generic over (n, c, oh, ow,
// kh, kw) reading the input at o * stride + k, the window's sizes given by a
// constant of its shape.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_stem
//       CHECK: %[[NEG:.+]] = arith.constant 0xFF800000 : f32
//       CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:   tensor.yield %[[NEG]] : f32
//       CHECK: %[[W:.+]] = arith.constant dense<0> : tensor<3x3xi8>
//       CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x64x56x56xf32>)
//       CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %[[W]] : tensor<1x64x114x114xf32>, tensor<3x3xi8>) outs(%[[INIT]] : tensor<1x64x56x56xf32>)
//       CHECK:   arith.maximumf
func.func @max_stem(%x: tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32> {
  %0 = mllm.pool max %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// -----

// Unsigned bytes: the identity is 0 and the maximum unsigned.
// CHECK-LABEL: func.func @max_ui8
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i8
//       CHECK: linalg.fill ins(%[[ZERO]] : i8)
//       CHECK: linalg.generic
//       CHECK:   arith.maxui
func.func @max_ui8(%x: tensor<1x3x4x4xui8>) -> tensor<1x3x2x2xui8> {
  %0 = mllm.pool max %x kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<1x3x4x4xui8> -> tensor<1x3x2x2xui8>
  return %0 : tensor<1x3x2x2xui8>
}

// -----

// An f16 average over a dynamic length, padded by 1 on both sides: zero
// padding, an f32 sum, and a divisor that counts the taps inside the input
// (from the output index and the input length) before rounding to f16.
// CHECK-LABEL: func.func @avg_dynamic
//  CHECK-SAME: (%[[X:.+]]: tensor<2x8x?xf16>)
//       CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1] high[0, 0, 1]
//       CHECK: %[[SUM:.+]] = linalg.generic
//  CHECK-SAME:   outs(%{{.+}} : tensor<2x8x?xf32>)
//       CHECK:   arith.extf
//       CHECK:   arith.addf
//       CHECK: %[[LEN:.+]] = tensor.dim %[[X]]
//       CHECK: linalg.generic
//  CHECK-SAME:   ins(%[[SUM]] : tensor<2x8x?xf32>)
//       CHECK:   linalg.index 2
//       CHECK:   arith.subi %[[LEN]]
//       CHECK:   arith.sitofp
//       CHECK:   arith.divf
//       CHECK:   arith.truncf
func.func @avg_dynamic(%x: tensor<2x8x?xf16>) -> tensor<2x8x?xf16> {
  %0 = mllm.pool avg %x kernel = [3] strides = [2] dilations = [1] pads = [1, 1] : tensor<2x8x?xf16> -> tensor<2x8x?xf16>
  return %0 : tensor<2x8x?xf16>
}

// -----

// count_include_pad without ceil-mode overhang: every window counts its 4
// taps, a constant.
// CHECK-LABEL: func.func @avg_include_pad
//       CHECK: %[[SUM:.+]] = linalg.generic
//       CHECK: linalg.generic
//  CHECK-SAME:   ins(%[[SUM]]
//   CHECK-NOT:   linalg.index
//       CHECK:   %[[FOUR:.+]] = arith.constant 4.000000e+00 : f32
//       CHECK:   arith.divf %{{.+}}, %[[FOUR]]
func.func @avg_include_pad(%x: tensor<1x2x6xf32>) -> tensor<1x2x3xf32> {
  %0 = mllm.pool avg %x kernel = [4] strides = [2] dilations = [1] pads = [2, 1] {count_include_pad} : tensor<1x2x6xf32> -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

// Lp with p = 2: |x| * |x| summed, then the square root.
// CHECK-LABEL: func.func @lp2
//       CHECK: linalg.generic
//       CHECK:   %[[A:.+]] = math.absf
//       CHECK:   arith.mulf %[[A]], %[[A]]
//       CHECK: linalg.generic
//       CHECK:   math.sqrt
func.func @lp2(%x: tensor<1x2x6xf32>) -> tensor<1x2x5xf32> {
  %0 = mllm.pool lp %x kernel = [2] strides = [1] dilations = [1] pads = [0, 0] : tensor<1x2x6xf32> -> tensor<1x2x5xf32>
  return %0 : tensor<1x2x5xf32>
}

// -----

// Max with indices: one generic with two outputs, the running maximum and
// its flattened position, replaced when a tap is strictly greater.
// CHECK-LABEL: func.func @max_indices
//       CHECK: %[[R:.+]]:2 = linalg.generic
//  CHECK-SAME:   outs(%{{.+}}, %{{.+}} : tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>)
//       CHECK:   arith.index_cast %{{.+}} : index to i64
//       CHECK:   %[[GT:.+]] = arith.cmpf ogt
//       CHECK:   arith.select %[[GT]]
//       CHECK:   arith.select %[[GT]]
//       CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_indices(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>) {
  %0, %1 = mllm.pool max %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] {storage_order = 0 : i64} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>
  return %0, %1 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>
}

// -----

// conv_transpose, stride 2, 2 groups, begin pad 1, output_padding 1: the
// input is spread 2 apart from offset 2 - 1 = 1 in zeros, the accumulator
// starts as the bias, and a grouped generic reads the spread input at
// o + (2 - k) (the flipped kernel).
// CHECK-DAG: #[[SPREAD:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + -d5 + 2)>
// CHECK-DAG: #[[WEIGHT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d4, d2, d5)>
// CHECK-LABEL: func.func @conv_transpose
//       CHECK: %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x4x13xf32>)
//       CHECK: %[[S:.+]] = tensor.insert_slice %{{.+}} into %[[Z]][0, 0, 1] [1, 4, 5] [1, 1, 2]
//       CHECK: %[[ACC:.+]] = linalg.generic
//  CHECK-SAME:   ins(%{{.+}} : tensor<6xf32>) outs(%{{.+}} : tensor<1x6x11xf32>)
//       CHECK: %[[GS:.+]] = tensor.expand_shape %[[S]] {{\[}}[0], [1, 2], [3]]
//       CHECK: linalg.generic {indexing_maps = [#[[SPREAD]], #[[WEIGHT]], #{{.+}}]
//  CHECK-SAME:   ins(%[[GS]], %{{.+}} : tensor<1x2x2x13xf32>, tensor<2x2x3x3xf32>) outs(%{{.+}} : tensor<1x2x3x11xf32>)
//       CHECK: tensor.collapse_shape
func.func @conv_transpose(%x: tensor<1x4x5xf32>, %w: tensor<4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x11xf32> {
  %0 = mllm.conv_transpose %x, %w, %b strides = [2] dilations = [1] pads = [1, 0] output_padding = [1] group = 2 : (tensor<1x4x5xf32>, tensor<4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x11xf32>
  return %0 : tensor<1x6x11xf32>
}

// -----

// A begin pad wider than the kernel's reach crops the result.
// CHECK-LABEL: func.func @conv_transpose_crop
//       CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0] [1, 1, 4] [1, 1, 1]
//       CHECK: tensor.extract_slice %{{.+}}[0, 0, 1] [1, 1, 2] [1, 1, 1]
func.func @conv_transpose_crop(%x: tensor<1x1x4xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %0 = mllm.conv_transpose %x, %w strides = [1] dilations = [1] pads = [2, 1] output_padding = [0] : (tensor<1x1x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %0 : tensor<1x1x2xf32>
}
