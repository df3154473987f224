// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// CHECK-LABEL: func.func @reshape_collapse
//       CHECK: %[[R:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
//       CHECK: return %[[R]]
func.func @reshape_collapse(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %r = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

// -----

// Splitting heads: an expand whose dynamic size comes from the input.
// CHECK-LABEL: func.func @reshape_expand_dynamic
//  CHECK-SAME: (%[[X:.+]]: tensor<1x?x64xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<1x?x64xf32>
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [1, %[[D]], 8, 8] : tensor<1x?x64xf32> into tensor<1x?x8x8xf32>
//       CHECK: return %[[R]]
func.func @reshape_expand_dynamic(%x: tensor<1x?x64xf32>) -> tensor<1x?x8x8xf32> {
  %r = mllm.reshape %x : tensor<1x?x64xf32> -> tensor<1x?x8x8xf32>
  return %r : tensor<1x?x8x8xf32>
}

// -----

// Dims that do not group: flatten, then expand.
// CHECK-LABEL: func.func @reshape_regroup
//       CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[F]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
//       CHECK: return %[[R]]
func.func @reshape_regroup(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %r = mllm.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_scalar
//       CHECK: tensor.collapse_shape %{{.+}} [] : tensor<1x1xf32> into tensor<f32>
//       CHECK: tensor.expand_shape %{{.+}} [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
func.func @reshape_scalar(%x: tensor<1x1xf32>, %y: tensor<f32>) -> (tensor<f32>, tensor<1x1x1xf32>) {
  %s = mllm.reshape %x : tensor<1x1xf32> -> tensor<f32>
  %r = mllm.reshape %y : tensor<f32> -> tensor<1x1x1xf32>
  return %s, %r : tensor<f32>, tensor<1x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
//  CHECK-SAME: (%[[X:.+]]: tensor<1x16x?x64xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<1x16x?x64xf32>
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[D]]) : tensor<1x?x16x64xf32>
//       CHECK: %[[R:.+]] = linalg.transpose ins(%[[X]] : tensor<1x16x?x64xf32>) outs(%[[INIT]] : tensor<1x?x16x64xf32>) permutation = [0, 2, 1, 3]
//       CHECK: return %[[R]]
func.func @transpose(%x: tensor<1x16x?x64xf32>) -> tensor<1x?x16x64xf32> {
  %r = mllm.transpose %x permutation = [0, 2, 1, 3] : tensor<1x16x?x64xf32> -> tensor<1x?x16x64xf32>
  return %r : tensor<1x?x16x64xf32>
}

// -----

// CHECK-LABEL: func.func @concat
//  CHECK-SAME: (%[[A:.+]]: tensor<1x4x64xf32>, %[[B:.+]]: tensor<1x?x64xf32>)
//       CHECK: %[[R:.+]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<1x4x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
//       CHECK: return %[[R]]
func.func @concat(%a: tensor<1x4x64xf32>, %b: tensor<1x?x64xf32>) -> tensor<1x?x64xf32> {
  %r = mllm.concat %a, %b axis = 1 : (tensor<1x4x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  return %r : tensor<1x?x64xf32>
}

// -----

// Constants keep their ElementsAttr, including weights in resource blobs.
// CHECK-LABEL: func.func @constants
//       CHECK: %[[C:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
//       CHECK: %[[W:.+]] = arith.constant dense_resource<w0> : tensor<2xf16>
//       CHECK: return %[[C]], %[[W]]
func.func @constants() -> (tensor<2xf32>, tensor<2xf16>) {
  %c = mllm.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %w = mllm.constant dense_resource<w0> : tensor<2xf16>
  return %c, %w : tensor<2xf32>, tensor<2xf16>
}
{-#
  dialect_resources: {
    builtin: {
      w0: "0x020000000000803C"
    }
  }
#-}
