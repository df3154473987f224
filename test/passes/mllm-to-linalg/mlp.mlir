// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// LLaMA FFN: down(silu(x . gate) * (x . up)). The input folds to one [M, K]
// matrix for all three projections and expands once at the end.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @gated_silu
//  CHECK-SAME: (%[[X:.+]]: tensor<1x?x64xf32>, %[[WU:.+]]: tensor<64x172xf32>, %[[WG:.+]]: tensor<64x172xf32>, %[[WD:.+]]: tensor<172x64xf32>)
//       CHECK: %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<1x?x64xf32> into tensor<?x64xf32>
//       CHECK: %[[UP:.+]] = linalg.matmul ins(%[[X2]], %[[WU]] : tensor<?x64xf32>, tensor<64x172xf32>)
//       CHECK: %[[GATE:.+]] = linalg.matmul ins(%[[X2]], %[[WG]] : tensor<?x64xf32>, tensor<64x172xf32>)
//       CHECK: %[[H:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[GATE]], %[[UP]] : tensor<?x172xf32>, tensor<?x172xf32>)
//       CHECK:   ^bb0(%[[G:.+]]: f32, %[[U:.+]]: f32, %{{.+}}: f32):
//       CHECK:   arith.negf %[[G]] : f32
//       CHECK:   %[[SIG:.+]] = arith.divf
//       CHECK:   %[[ACT:.+]] = arith.mulf %[[G]], %[[SIG]] : f32
//       CHECK:   %[[PROD:.+]] = arith.mulf %[[ACT]], %[[U]] : f32
//       CHECK:   linalg.yield %[[PROD]] : f32
//       CHECK: %[[DOWN:.+]] = linalg.matmul ins(%[[H]], %[[WD]] : tensor<?x172xf32>, tensor<172x64xf32>)
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[DOWN]] {{\[}}[0, 1], [2]] output_shape [1, %{{.+}}, 64] : tensor<?x64xf32> into tensor<1x?x64xf32>
//       CHECK: return %[[R]]
func.func @gated_silu(%x: tensor<1x?x64xf32>, %wu: tensor<64x172xf32>, %wg: tensor<64x172xf32>, %wd: tensor<172x64xf32>) -> tensor<1x?x64xf32> {
  %f = mllm.mlp silu %x up %wu gate %wg down %wd
      : (tensor<1x?x64xf32>, tensor<64x172xf32>, tensor<64x172xf32>, tensor<172x64xf32>) -> tensor<1x?x64xf32>
  return %f : tensor<1x?x64xf32>
}

// -----

// LLaVA projector in f16: linear (+bias) -> GELU -> linear (+bias), f32
// accumulation and activation, f16 between the layers.
// CHECK-LABEL: func.func @projector_gelu_f16
//  CHECK-SAME: (%[[X:.+]]: tensor<1x576x32xf16>, %[[W1:.+]]: tensor<32x64xf16>, %[[B1:.+]]: tensor<64xf16>, %[[W2:.+]]: tensor<64x48xf16>, %[[B2:.+]]: tensor<48xf16>)
//       CHECK: %[[X2:.+]] = tensor.collapse_shape %[[X]]
//       CHECK: %[[P1:.+]] = linalg.matmul ins(%[[X2]], %[[W1]] : tensor<576x32xf16>, tensor<32x64xf16>) outs(%{{.+}} : tensor<576x64xf32>)
//       CHECK: %[[H1:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[P1]], %[[B1]] : tensor<576x64xf32>, tensor<64xf16>) outs(%{{.+}} : tensor<576x64xf16>)
//       CHECK: %[[A:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[H1]] : tensor<576x64xf16>)
//       CHECK:   arith.extf %{{.+}} : f16 to f32
//       CHECK:   math.erf
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
//       CHECK: %[[P2:.+]] = linalg.matmul ins(%[[A]], %[[W2]] : tensor<576x64xf16>, tensor<64x48xf16>) outs(%{{.+}} : tensor<576x48xf32>)
//       CHECK: %[[H2:.+]] = linalg.generic
//  CHECK-SAME:   ins(%[[P2]], %[[B2]] : tensor<576x48xf32>, tensor<48xf16>)
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[H2]] {{\[}}[0, 1], [2]] output_shape [1, 576, 48] : tensor<576x48xf16> into tensor<1x576x48xf16>
//       CHECK: return %[[R]]
func.func @projector_gelu_f16(%x: tensor<1x576x32xf16>, %w1: tensor<32x64xf16>, %b1: tensor<64xf16>, %w2: tensor<64x48xf16>, %b2: tensor<48xf16>) -> tensor<1x576x48xf16> {
  %p = mllm.mlp gelu %x up %w1 bias %b1 down %w2 bias %b2
      : (tensor<1x576x32xf16>, tensor<32x64xf16>, tensor<64xf16>, tensor<64x48xf16>, tensor<48xf16>) -> tensor<1x576x48xf16>
  return %p : tensor<1x576x48xf16>
}

// -----

// CHECK-LABEL: func.func @quick_gelu_2d
//       CHECK: linalg.matmul
//       CHECK: arith.constant 1.702000e+00 : f32
//       CHECK: linalg.matmul
//   CHECK-NOT: tensor.expand_shape
func.func @quick_gelu_2d(%x: tensor<4x8xf32>, %w1: tensor<8x16xf32>, %w2: tensor<16x8xf32>) -> tensor<4x8xf32> {
  %p = mllm.mlp quick_gelu %x up %w1 down %w2
      : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}
