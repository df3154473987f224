// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// A ViT patch embedding (kernel = stride, no pads, no bias): no tensor.pad,
// a zero accumulator and linalg.conv_2d_nchw_fchw with the strides; the
// dynamic batch is read from the input.
// CHECK-LABEL: func.func @patch_embedding
//  CHECK-SAME: (%[[X:.+]]: tensor<?x3x32x32xf32>, %[[W:.+]]: tensor<16x3x8x8xf32>)
//   CHECK-NOT: tensor.pad
//       CHECK: %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x32x32xf32>
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[N]]) : tensor<?x16x4x4xf32>
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[INIT]] : tensor<?x16x4x4xf32>)
//       CHECK: %[[R:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<8> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<?x3x32x32xf32>, tensor<16x3x8x8xf32>) outs(%[[ACC]] : tensor<?x16x4x4xf32>)
//       CHECK: return %[[R]]
func.func @patch_embedding(%x: tensor<?x3x32x32xf32>, %w: tensor<16x3x8x8xf32>) -> tensor<?x16x4x4xf32> {
  %0 = mllm.conv %x, %w strides = [8, 8] dilations = [1, 1] pads = [0, 0, 0, 0] : (tensor<?x3x32x32xf32>, tensor<16x3x8x8xf32>) -> tensor<?x16x4x4xf32>
  return %0 : tensor<?x16x4x4xf32>
}

// -----

// 1-D f16 with asymmetric pads, stride, dilation and a bias: the input is
// zero-padded, the f32 accumulator starts as the widened bias, the dynamic
// output length is (L + 3 - 2 * (3 - 1) - 1) / 2 + 1 computed from the
// padded input, and the result is rounded back to f16.
// CHECK-LABEL: func.func @conv1d_f16_bias
//  CHECK-SAME: (%[[X:.+]]: tensor<1x4x?xf16>, %[[W:.+]]: tensor<6x4x3xf16>, %[[B:.+]]: tensor<6xf16>)
//       CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f16
//       CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 2] high[0, 0, 1]
//       CHECK:   tensor.yield %[[ZERO]] : f16
//       CHECK: } : tensor<1x4x?xf16> to tensor<1x4x?xf16>
//       CHECK: %[[L:.+]] = tensor.dim %[[P]], %{{.+}} : tensor<1x4x?xf16>
//       CHECK: arith.subi
//       CHECK: arith.divui
//       CHECK: %[[O:.+]] = arith.addi
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[O]]) : tensor<1x6x?xf32>
//       CHECK: %[[ACC:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[B]] : tensor<6xf16>) outs(%[[INIT]] : tensor<1x6x?xf32>)
//       CHECK:   arith.extf
//       CHECK: %[[C:.+]] = linalg.conv_1d_ncw_fcw {dilations = dense<2> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%[[P]], %[[W]] : tensor<1x4x?xf16>, tensor<6x4x3xf16>) outs(%[[ACC]] : tensor<1x6x?xf32>)
//       CHECK: %[[R:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[C]] : tensor<1x6x?xf32>)
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
//       CHECK: return %[[R]]
func.func @conv1d_f16_bias(%x: tensor<1x4x?xf16>, %w: tensor<6x4x3xf16>, %b: tensor<6xf16>) -> tensor<1x6x?xf16> {
  %0 = mllm.conv %x, %w, %b strides = [2] dilations = [2] pads = [2, 1] : (tensor<1x4x?xf16>, tensor<6x4x3xf16>, tensor<6xf16>) -> tensor<1x6x?xf16>
  return %0 : tensor<1x6x?xf16>
}

// -----

// Depthwise (group = channels): the channels split into [G, C / G] views
// and one generic over (n, g, f, o, c, k) reads input[n, g, c, o + k].
//   CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 + d5)>
//   CHECK-DAG: #[[WT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
//   CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @depthwise
//  CHECK-SAME: (%[[X:.+]]: tensor<2x4x8xf32>, %[[W:.+]]: tensor<4x1x4xf32>, %[[B:.+]]: tensor<4xf32>)
//       CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 3] high[0, 0, 0]
//       CHECK: %[[ACC:.+]] = linalg.generic {{.*}} ins(%[[B]] : tensor<4xf32>)
//       CHECK: %[[GX:.+]] = tensor.expand_shape %[[P]] {{\[}}[0], [1, 2], [3]] output_shape [2, 4, 1, 11]
//       CHECK: %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3]] output_shape [4, 1, 1, 4]
//       CHECK: %[[GA:.+]] = tensor.expand_shape %[[ACC]] {{\[}}[0], [1, 2], [3]] output_shape [2, 4, 1, 8]
//       CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[WT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[GX]], %[[GW]] : tensor<2x4x1x11xf32>, tensor<4x1x1x4xf32>) outs(%[[GA]] : tensor<2x4x1x8xf32>)
//       CHECK:   arith.mulf
//       CHECK:   arith.addf
//       CHECK: %[[R:.+]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3]] : tensor<2x4x1x8xf32> into tensor<2x4x8xf32>
//       CHECK: return %[[R]]
func.func @depthwise(%x: tensor<2x4x8xf32>, %w: tensor<4x1x4xf32>, %b: tensor<4xf32>) -> tensor<2x4x8xf32> {
  %0 = mllm.conv %x, %w, %b strides = [1] dilations = [1] pads = [3, 0] group = 4 : (tensor<2x4x8xf32>, tensor<4x1x4xf32>, tensor<4xf32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

// Grouped 2-D with stride and dilation: input[n, g, c, 2 * oh + 2 * kh, ow + kw].
//   CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6 * 2, d4 + d7)>
// CHECK-LABEL: func.func @grouped_2d
//       CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 3, 9, 7]
//       CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 4, 3, 3, 2]
//       CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
//       CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x4x3x6xf32> into tensor<1x8x3x6xf32>
func.func @grouped_2d(%x: tensor<1x6x9x7xf32>, %w: tensor<8x3x3x2xf32>) -> tensor<1x8x3x6xf32> {
  %0 = mllm.conv %x, %w strides = [2, 1] dilations = [2, 1] pads = [0, 0, 0, 0] group = 2 : (tensor<1x6x9x7xf32>, tensor<8x3x3x2xf32>) -> tensor<1x8x3x6xf32>
  return %0 : tensor<1x8x3x6xf32>
}

