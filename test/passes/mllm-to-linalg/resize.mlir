// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// mllm.resize resamples one axis after the other: one linalg.generic per
// axis, in the order of `axes`, computing the f64 input coordinate from the
// output index and reading the neighbours with tensor.extract.

// CHECK-LABEL: func.func @bilinear
//  CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x6xf32>)
//       CHECK: %[[H:.+]] = linalg.generic
//  CHECK-SAME:   outs(%{{.+}} : tensor<1x3x4x6xf32>)
//       CHECK:   %[[Y:.+]] = linalg.index 2 : index
//       CHECK:   arith.sitofp %{{.+}} : i64 to f64
//       CHECK:   arith.fptosi %{{.+}} : f64 to i64
//   CHECK-COUNT-2:   tensor.extract %[[X]]
//       CHECK:   arith.truncf %{{.+}} : f64 to f32
//       CHECK: %[[W:.+]] = linalg.generic
//  CHECK-SAME:   outs(%{{.+}} : tensor<1x3x4x3xf32>)
//       CHECK:   linalg.index 3 : index
//   CHECK-COUNT-2:   tensor.extract %[[H]]
//       CHECK: return %[[W]]
func.func @bilinear(%x: tensor<1x3x8x6xf32>) -> tensor<1x3x4x3xf32> {
  %0 = mllm.resize %x linear axes = [2, 3] sizes = [4, 3] scales = [0.5, 0.5] : tensor<1x3x8x6xf32> -> tensor<1x3x4x3xf32>
  return %0 : tensor<1x3x4x3xf32>
}

// -----

// Bicubic reads four neighbours; antialiased downscaling by 1/2 stretches
// the filter to eight.
// CHECK-LABEL: func.func @bicubic
//       CHECK: linalg.generic
//   CHECK-COUNT-4:   tensor.extract
//       CHECK: linalg.generic
//   CHECK-COUNT-8:   tensor.extract
func.func @bicubic(%x: tensor<2x8x6xf32>) -> tensor<2x12x3xf32> {
  %0 = mllm.resize %x cubic axes = [1] sizes = [12] scales = [1.5] : tensor<2x8x6xf32> -> tensor<2x12x6xf32>
  %1 = mllm.resize %0 cubic axes = [2] sizes = [3] scales = [0.5] {antialias} : tensor<2x12x6xf32> -> tensor<2x12x3xf32>
  return %1 : tensor<2x12x3xf32>
}

// -----

// Nearest reads one element of any type; the crop box's outside gets the
// extrapolation value; a dynamic dimension that is not resampled stays.
// CHECK-LABEL: func.func @nearest_crop
//       CHECK: linalg.generic
//       CHECK:   %[[V:.+]] = tensor.extract %{{.+}} : tensor<?x4xi8>
//       CHECK:   %[[EXTRA:.+]] = arith.constant 7 : i8
//       CHECK:   arith.select %{{.+}}, %[[EXTRA]], %[[V]] : i8
//       CHECK: tensor<?x9xi8>
func.func @nearest_crop(%x: tensor<?x4xui8>) -> tensor<?x9xui8> {
  %0 = mllm.resize %x nearest axes = [1] sizes = [9] scales = [2.25] coordinates = tf_crop_and_resize roi = [0.25, 1.5] {extrapolation_value = 7.0 : f64} : tensor<?x4xui8> -> tensor<?x9xui8>
  return %0 : tensor<?x9xui8>
}
