// RUN: mllmc-opt --mllmc-fold-zero-trip-ops --split-input-file %s | FileCheck %s

#in = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out = affine_map<(d0, d1, d2) -> (d0, d2)>

// A sum over an empty axis is the fill of its identity.
// CHECK-LABEL: func.func @sum_over_empty_axis
//       CHECK:   %[[FILL:.+]] = linalg.fill
//   CHECK-NOT:   linalg.generic
//       CHECK:   return %[[FILL]]
func.func @sum_over_empty_axis(%x: tensor<2x0x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x : tensor<2x0x4xf32>) outs(%init : tensor<2x4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  return %sum : tensor<2x4xf32>
}

// -----

// An op that iterates at least once stays.
// CHECK-LABEL: func.func @nonempty
//       CHECK:   linalg.copy
func.func @nonempty(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %e = tensor.empty() : tensor<2x4xf32>
  %c = linalg.copy ins(%x : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %c : tensor<2x4xf32>
}

// -----

// An empty result is its (empty) init.
// CHECK-LABEL: func.func @empty_copy
//  CHECK-SAME:   (%{{.+}}: tensor<0x5xi64>, %[[INIT:.+]]: tensor<0x5xi64>)
//   CHECK-NOT:   linalg.copy
//       CHECK:   return %[[INIT]]
func.func @empty_copy(%x: tensor<0x5xi64>, %init: tensor<0x5xi64>) -> tensor<0x5xi64> {
  %c = linalg.copy ins(%x : tensor<0x5xi64>) outs(%init : tensor<0x5xi64>) -> tensor<0x5xi64>
  return %c : tensor<0x5xi64>
}
