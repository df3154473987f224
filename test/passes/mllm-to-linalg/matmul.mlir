// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// CHECK-LABEL: func.func @matmul_2d
//  CHECK-SAME: (%[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
//       CHECK: %[[INIT:.+]] = tensor.empty() : tensor<4x16xf32>
//       CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[INIT]] : tensor<4x16xf32>)
//       CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[ACC]] : tensor<4x16xf32>)
//       CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %r = mllm.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// N-D x 2-D: leading dims fold into M; f16 accumulates in f32 and rounds
// back on the 2-D result, before the leading dims expand again.
// CHECK-LABEL: func.func @matmul_nd_2d_f16
//  CHECK-SAME: (%[[A:.+]]: tensor<2x?x8x16xf16>, %[[B:.+]]: tensor<16x32xf16>)
//       CHECK: %[[D1:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<2x?x8x16xf16>
//       CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2], [3]] : tensor<2x?x8x16xf16> into tensor<?x16xf16>
//       CHECK: %[[M:.+]] = tensor.dim %[[FLAT]]
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[M]]) : tensor<?x32xf32>
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[INIT]] : tensor<?x32xf32>)
//       CHECK: %[[P:.+]] = linalg.matmul ins(%[[FLAT]], %[[B]] : tensor<?x16xf16>, tensor<16x32xf16>) outs(%[[ACC]] : tensor<?x32xf32>)
//       CHECK: %[[H:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[P]] : tensor<?x32xf32>)
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[H]] {{\[}}[0, 1, 2], [3]] output_shape [2, %[[D1]], 8, 32] : tensor<?x32xf16> into tensor<2x?x8x32xf16>
//       CHECK: return %[[R]]
func.func @matmul_nd_2d_f16(%a: tensor<2x?x8x16xf16>, %b: tensor<16x32xf16>) -> tensor<2x?x8x32xf16> {
  %r = mllm.matmul %a, %b : (tensor<2x?x8x16xf16>, tensor<16x32xf16>) -> tensor<2x?x8x32xf16>
  return %r : tensor<2x?x8x32xf16>
}

// -----

// Equal batch shapes: one batch_matmul over the flattened batch.
// CHECK-LABEL: func.func @matmul_batched
//  CHECK-SAME: (%[[A:.+]]: tensor<2x4x8x16xf32>, %[[B:.+]]: tensor<2x4x16x8xf32>)
//       CHECK: %[[A3:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
//       CHECK: %[[B3:.+]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2], [3]] : tensor<2x4x16x8xf32> into tensor<8x16x8xf32>
//       CHECK: %[[P:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<8x8x16xf32>, tensor<8x16x8xf32>) outs(%{{.+}} : tensor<8x8x8xf32>)
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2], [3]] output_shape [2, 4, 8, 8] : tensor<8x8x8xf32> into tensor<2x4x8x8xf32>
//       CHECK: return %[[R]]
func.func @matmul_batched(%a: tensor<2x4x8x16xf32>, %b: tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32> {
  %r = mllm.matmul %a, %b : (tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32>
  return %r : tensor<2x4x8x8xf32>
}

// -----

// Broadcast batch dims: one contraction generic, no copies.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast_int
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : i32)
//       CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:   outs(%[[ACC]] : tensor<2x4x8x8xi32>)
//       CHECK:   ^bb0(%[[L:.+]]: i32, %[[R:.+]]: i32, %[[S:.+]]: i32):
//       CHECK:   %[[P:.+]] = arith.muli %[[L]], %[[R]] : i32
//       CHECK:   %[[T:.+]] = arith.addi %[[S]], %[[P]] : i32
//       CHECK:   linalg.yield %[[T]] : i32
func.func @matmul_broadcast_int(%a: tensor<2x1x8x16xi32>, %b: tensor<4x16x8xi32>) -> tensor<2x4x8x8xi32> {
  %r = mllm.matmul %a, %b : (tensor<2x1x8x16xi32>, tensor<4x16x8xi32>) -> tensor<2x4x8x8xi32>
  return %r : tensor<2x4x8x8xi32>
}

// -----

// linear: collapse to 2-D, one matmul (f32 accumulator), bias add and cast in
// one generic, expand back.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear_bias_f16
//  CHECK-SAME: (%[[X:.+]]: tensor<1x?x64xf16>, %[[W:.+]]: tensor<64x256xf16>, %[[B:.+]]: tensor<256xf16>)
//       CHECK: %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<1x?x64xf16> into tensor<?x64xf16>
//       CHECK: %[[M:.+]] = tensor.dim %[[X2]]
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?x256xf32>)
//       CHECK: %[[P:.+]] = linalg.matmul ins(%[[X2]], %[[W]] : tensor<?x64xf16>, tensor<64x256xf16>) outs(%[[ACC]] : tensor<?x256xf32>)
//       CHECK: %[[OUT:.+]] = tensor.empty(%[[M]]) : tensor<?x256xf16>
//       CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[BIAS]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[P]], %[[B]] : tensor<?x256xf32>, tensor<256xf16>) outs(%[[OUT]] : tensor<?x256xf16>)
//       CHECK:   ^bb0(%[[ACCV:.+]]: f32, %[[BV:.+]]: f16, %{{.+}}: f16):
//       CHECK:   %[[BW:.+]] = arith.extf %[[BV]] : f16 to f32
//       CHECK:   %[[S:.+]] = arith.addf %[[ACCV]], %[[BW]] : f32
//       CHECK:   arith.truncf %[[S]] : f32 to f16
//       CHECK: %[[S1:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<1x?x64xf16>
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [1, %[[S1]], 256] : tensor<?x256xf16> into tensor<1x?x256xf16>
//       CHECK: return %[[R]]
func.func @linear_bias_f16(%x: tensor<1x?x64xf16>, %w: tensor<64x256xf16>, %b: tensor<256xf16>) -> tensor<1x?x256xf16> {
  %r = mllm.linear %x, %w, %b : (tensor<1x?x64xf16>, tensor<64x256xf16>, tensor<256xf16>) -> tensor<1x?x256xf16>
  return %r : tensor<1x?x256xf16>
}

// -----

// 2-D f32 linear without bias is a bare matmul.
// CHECK-LABEL: func.func @linear_2d
//       CHECK: %[[R:.+]] = linalg.matmul
//   CHECK-NOT: linalg.generic
//       CHECK: return %[[R]]
func.func @linear_2d(%x: tensor<4x64xf32>, %w: tensor<64x256xf32>) -> tensor<4x256xf32> {
  %r = mllm.linear %x, %w : (tensor<4x64xf32>, tensor<64x256xf32>) -> tensor<4x256xf32>
  return %r : tensor<4x256xf32>
}

// -----

// A rank-1 input is one row: [K] -> [1, K] -> matmul -> [N].
// CHECK-LABEL: func.func @linear_vector
//  CHECK-SAME: (%[[X:.+]]: tensor<64xf32>, %[[W:.+]]: tensor<64x8xf32>, %[[B:.+]]: tensor<8xf32>)
//       CHECK: %[[ROW:.+]] = tensor.expand_shape %[[X]] {{\[}}[0, 1]] output_shape [1, 64] : tensor<64xf32> into tensor<1x64xf32>
//       CHECK: %[[P:.+]] = linalg.matmul ins(%[[ROW]], %[[W]] : tensor<1x64xf32>, tensor<64x8xf32>)
//       CHECK: %[[Y:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[P]], %[[B]] : tensor<1x8xf32>, tensor<8xf32>)
//       CHECK: %[[R:.+]] = tensor.collapse_shape %[[Y]] {{\[}}[0, 1]] : tensor<1x8xf32> into tensor<8xf32>
//       CHECK: return %[[R]]
func.func @linear_vector(%x: tensor<64xf32>, %w: tensor<64x8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %r = mllm.linear %x, %w, %b : (tensor<64xf32>, tensor<64x8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}
