// RUN: mllmc-opt --convert-mllm-to-linalg=flash-attention=false --split-input-file %s | FileCheck %s

// MHA with an additive float mask [Sq, Skv]: QK^T contraction over d, one
// elementwise generic for scale + mask, a stable softmax over the key axis,
// and the PV contraction over j.
// CHECK-DAG: #[[Q:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[K:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-DAG: #[[S:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[MASK:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-LABEL: func.func @mha_float_mask
//  CHECK-SAME: (%[[QA:.+]]: tensor<2x4x8x16xf32>, %[[KA:.+]]: tensor<2x4x6x16xf32>, %[[VA:.+]]: tensor<2x4x6x32xf32>, %[[MA:.+]]: tensor<8x6xf32>)
//       CHECK: %[[SC:.+]] = linalg.generic {indexing_maps = [#[[Q]], #[[K]], #[[S]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:   ins(%[[QA]], %[[KA]] : tensor<2x4x8x16xf32>, tensor<2x4x6x16xf32>) outs(%{{.+}} : tensor<2x4x8x6xf32>)
//       CHECK:   arith.mulf
//       CHECK:   arith.addf
//       CHECK: %[[MS:.+]] = linalg.generic {indexing_maps = [#[[ID4]], #[[MASK]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[SC]], %[[MA]] : tensor<2x4x8x6xf32>, tensor<8x6xf32>)
//       CHECK:   ^bb0(%[[X:.+]]: f32, %[[M:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[SCALE:.+]] = arith.constant 2.500000e-01 : f32
//       CHECK:   %[[XS:.+]] = arith.mulf %[[X]], %[[SCALE]] : f32
//       CHECK:   %[[XM:.+]] = arith.addf %[[XS]], %[[M]] : f32
//       CHECK:   linalg.yield %[[XM]] : f32
//       CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID4]], #[[ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:   ins(%[[MS]] : tensor<2x4x8x6xf32>)
//       CHECK:   arith.maximumf
//       CHECK:   math.exp
//       CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
//       CHECK:   arith.addf
//       CHECK: %[[P:.+]] = linalg.generic
//       CHECK:   arith.divf
//       CHECK: %[[O:.+]] = linalg.generic {indexing_maps = [#[[Q]], #[[V]], #[[S]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:   ins(%[[P]], %[[VA]] : tensor<2x4x8x6xf32>, tensor<2x4x6x32xf32>) outs(%{{.+}} : tensor<2x4x8x32xf32>)
//       CHECK: return %[[O]]
func.func @mha_float_mask(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x6x16xf32>, %v: tensor<2x4x6x32xf32>, %m: tensor<8x6xf32>) -> tensor<2x4x8x32xf32> {
  %o = mllm.attention %q, %k, %v mask %m {num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 2.500000e-01 : f32}
      : (tensor<2x4x8x16xf32>, tensor<2x4x6x16xf32>, tensor<2x4x6x32xf32>, tensor<8x6xf32>) -> tensor<2x4x8x32xf32>
  return %o : tensor<2x4x8x32xf32>
}

// -----

// GQA (8 query heads over 2 kv heads) reads kv head h floordiv 4 without
// copying K/V; an i1 padding mask selects -inf; the causal mask is aligned
// bottom-right (j > i + Skv - Sq is masked); f16 computes in f32.
// CHECK-DAG: #[[K:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d3, d4)>
// CHECK-DAG: #[[V:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 4, d4, d3)>
// CHECK-DAG: #[[PAD:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
// CHECK-LABEL: func.func @gqa_causal_padding_f16
//  CHECK-SAME: (%[[QA:.+]]: tensor<1x8x?x64xf16>, %[[KA:.+]]: tensor<1x2x?x64xf16>, %[[VA:.+]]: tensor<1x2x?x64xf16>, %[[MA:.+]]: tensor<1x1x1x?xi1>)
//       CHECK: %[[SQ:.+]] = tensor.dim %[[QA]], %{{.+}} : tensor<1x8x?x64xf16>
//       CHECK: %[[SKV:.+]] = tensor.dim %[[KA]], %{{.+}} : tensor<1x2x?x64xf16>
//       CHECK: %[[SC:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[K]], #{{.+}}]
//  CHECK-SAME:   outs(%{{.+}} : tensor<1x8x?x?xf32>)
//       CHECK:   arith.extf %{{.+}} : f16 to f32
//       CHECK:   arith.extf %{{.+}} : f16 to f32
//       CHECK: %[[OFF:.+]] = arith.subi %[[SKV]], %[[SQ]] : index
//       CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[PAD]], #{{.+}}]
//  CHECK-SAME:   ins(%[[SC]], %[[MA]] : tensor<1x8x?x?xf32>, tensor<1x1x1x?xi1>)
//       CHECK:   ^bb0(%[[X:.+]]: f32, %[[KEEP:.+]]: i1, %{{.+}}: f32):
//       CHECK:   %[[XS:.+]] = arith.mulf %[[X]], %{{.+}} : f32
//       CHECK:   %[[NINF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK:   %[[XM:.+]] = arith.select %[[KEEP]], %[[XS]], %[[NINF]] : f32
//       CHECK:   %[[I:.+]] = linalg.index 2 : index
//       CHECK:   %[[J:.+]] = linalg.index 3 : index
//       CHECK:   %[[LIMIT:.+]] = arith.addi %[[I]], %[[OFF]] : index
//       CHECK:   %[[FUTURE:.+]] = arith.cmpi sgt, %[[J]], %[[LIMIT]] : index
//       CHECK:   %[[NINF2:.+]] = arith.constant 0xFF800000 : f32
//       CHECK:   arith.select %[[FUTURE]], %[[NINF2]], %[[XM]] : f32
//       CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[V]], #{{.+}}]
//  CHECK-SAME:   ins(%{{.+}}, %[[VA]] : tensor<1x8x?x?xf32>, tensor<1x2x?x64xf16>)
//       CHECK: arith.truncf %{{.+}} : f32 to f16
//       CHECK: -> tensor<1x8x?x64xf16>
func.func @gqa_causal_padding_f16(%q: tensor<1x8x?x64xf16>, %k: tensor<1x2x?x64xf16>, %v: tensor<1x2x?x64xf16>, %m: tensor<1x1x1x?xi1>) -> tensor<1x8x?x64xf16> {
  %o = mllm.attention %q, %k, %v mask %m {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32}
      : (tensor<1x8x?x64xf16>, tensor<1x2x?x64xf16>, tensor<1x2x?x64xf16>, tensor<1x1x1x?xi1>) -> tensor<1x8x?x64xf16>
  return %o : tensor<1x8x?x64xf16>
}

// -----

// Static causal decode step (Sq = 1, Skv = 5): the offset folds to 4.
// CHECK-LABEL: func.func @causal_decode
//       CHECK: %[[C5:.+]] = arith.constant 5 : index
//       CHECK: %[[C1:.+]] = arith.constant 1 : index
//       CHECK: %[[OFF:.+]] = arith.subi %[[C5]], %[[C1]] : index
//       CHECK:   arith.addi %{{.+}}, %[[OFF]] : index
func.func @causal_decode(%q: tensor<1x2x1x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x4xf32>) -> tensor<1x2x1x4xf32> {
  %o = mllm.attention %q, %k, %v {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 5.000000e-01 : f32}
      : (tensor<1x2x1x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x4xf32>) -> tensor<1x2x1x4xf32>
  return %o : tensor<1x2x1x4xf32>
}
