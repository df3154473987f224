// RUN: mllmc-opt --mllmc-form-dispatches --split-input-file %s | FileCheck %s

// Dynamic dims: the size arithmetic (tensor.dim, index ops) stays in the host
// program, and a dispatch that needs a size takes it as an index argument
// (here the destination's dim). The runtime evaluates it per run.
// CHECK-LABEL: func.func @scale
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x8xf32>)
//       CHECK:   %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x8xf32>
//       CHECK:   %[[R:.+]] = call @[[D:dispatch_0_generic_Dx8_f32]](%[[N]], %[[X]]) : (index, tensor<?x8xf32>) -> tensor<?x8xf32>
//       CHECK:   return %[[R]]
//       CHECK: func.func @[[D]](%[[M:.+]]: index {{.*}}, %[[A:.+]]: tensor<?x8xf32> {{.*}}) -> tensor<?x8xf32> attributes {mllm.dispatch}
//       CHECK:   tensor.empty(%[[M]]) : tensor<?x8xf32>
//       CHECK:   linalg.generic
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @scale(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x8xf32>) outs(%e : tensor<?x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %in : f32
    linalg.yield %m : f32
  } -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// A returned argument gets a copy into a buffer of its own, of the
// argument's run-time shape.
// CHECK-LABEL: func.func @identity
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x?xf32>)
//   CHECK-DAG:   %[[D0:.+]] = tensor.dim %[[X]], %c0
//   CHECK-DAG:   %[[D1:.+]] = tensor.dim %[[X]], %c1
//       CHECK:   %[[R:.+]] = call @dispatch_0_copy_DxD_f32(%[[D0]], %[[D1]], %[[X]]) : (index, index, tensor<?x?xf32>) -> tensor<?x?xf32>
//       CHECK:   return %[[R]]
//       CHECK: func.func @dispatch_0_copy_DxD_f32(
//       CHECK:   tensor.empty(%{{.+}}, %{{.+}}) : tensor<?x?xf32>
//       CHECK:   linalg.copy
func.func @identity(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  return %x : tensor<?x?xf32>
}
