// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// gather_elements: a linalg.generic over the indices reading the data at the
// (wrapped) index along the axis and at the iteration's own position
// elsewhere.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_elements
//  CHECK-SAME: (%[[X:.+]]: tensor<?x7x5xf32>, %[[I:.+]]: tensor<?x9x5xi32>)
//       CHECK: %[[N:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<?x9x5xi32>
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[N]]) : tensor<?x9x5xf32>
//       CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[I]] : tensor<?x9x5xi32>) outs(%[[INIT]] : tensor<?x9x5xf32>)
//       CHECK:   ^bb0(%[[V:.+]]: i32, %{{.+}}: f32):
//       CHECK:   %[[IDX:.+]] = arith.index_cast %[[V]] : i32 to index
//       CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[IDX]], %{{.+}} : index
//       CHECK:   %[[WRAP:.+]] = arith.addi %[[IDX]], %{{.+}} : index
//       CHECK:   %[[ROW:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[IDX]] : index
//       CHECK:   %[[D0:.+]] = linalg.index 0 : index
//       CHECK:   %[[D2:.+]] = linalg.index 2 : index
//       CHECK:   %[[E:.+]] = tensor.extract %[[X]][%[[D0]], %[[ROW]], %[[D2]]] : tensor<?x7x5xf32>
//       CHECK:   linalg.yield %[[E]] : f32
func.func @gather_elements(%x: tensor<?x7x5xf32>, %i: tensor<?x9x5xi32>) -> tensor<?x9x5xf32> {
  %r = mllm.gather_elements %x[%i] axis = 1 : (tensor<?x7x5xf32>, tensor<?x9x5xi32>) -> tensor<?x9x5xf32>
  return %r : tensor<?x9x5xf32>
}

// -----

// scatter_elements with reduction = max: loops over the updates starting
// from the data; the column comes from indices (negative ones wrap by the
// data's width, 5) and the maximum is written back.
// CHECK-LABEL: func.func @scatter_elements_max
//  CHECK-SAME: (%[[D:.+]]: tensor<3x5xf32>, %[[I:.+]]: tensor<2x2xi64>, %[[U:.+]]: tensor<2x2xf32>)
//       CHECK: %[[W:.+]] = arith.constant 5 : index
//   CHECK-NOT: scf.for
//       CHECK: arith.constant 0 : index
//       CHECK: scf.for %[[P:[a-z0-9_]+]] = {{.*}} iter_args(%{{.+}} = %[[D]])
//       CHECK:   scf.for %[[T:[a-z0-9_]+]] = {{.*}} iter_args(%[[R:[a-z0-9_]+]] = %{{.+}})
//       CHECK:     %[[RAW:.+]] = tensor.extract %[[I]][%[[P]], %[[T]]] : tensor<2x2xi64>
//       CHECK:     %[[IDX:.+]] = arith.index_cast %[[RAW]] : i64 to index
//       CHECK:     %[[NEG:.+]] = arith.cmpi slt, %[[IDX]]
//       CHECK:     %[[WRAP:.+]] = arith.addi %[[IDX]], %[[W]] : index
//       CHECK:     %[[COL:[a-z0-9_]+]] = arith.select %[[NEG]], %[[WRAP]], %[[IDX]]
//       CHECK:     %[[UV:.+]] = tensor.extract %[[U]][%[[P]], %[[T]]]
//       CHECK:     %[[CUR:.+]] = tensor.extract %[[R]][%[[P]], %[[COL]]]
//       CHECK:     %[[M:.+]] = arith.maximumf %[[CUR]], %[[UV]] : f32
//       CHECK:     tensor.insert %[[M]] into %[[R]][%[[P]], %[[COL]]]
func.func @scatter_elements_max(%d: tensor<3x5xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xf32>) -> tensor<3x5xf32> {
  %0 = mllm.scatter_elements %d[%i], %u axis = 1 reduction = max : (tensor<3x5xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Without a reduction the update replaces the value (no read of the result).
// CHECK-LABEL: func.func @scatter_elements_none
//       CHECK:   %[[ROW:[a-z0-9_]+]] = arith.select
//       CHECK:   %[[UV:.+]] = tensor.extract %arg2
//   CHECK-NOT:   tensor.extract
//       CHECK:   tensor.insert %[[UV]] into %{{.+}}[%[[ROW]]]
func.func @scatter_elements_none(%d: tensor<6xi32>, %i: tensor<3xi32>, %u: tensor<3xi32>) -> tensor<6xi32> {
  %0 = mllm.scatter_elements %d[%i], %u axis = 0 : (tensor<6xi32>, tensor<3xi32>, tensor<3xi32>) -> tensor<6xi32>
  return %0 : tensor<6xi32>
}
