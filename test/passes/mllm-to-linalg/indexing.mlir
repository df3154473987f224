// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// Positive steps: a strided extract_slice.
// CHECK-LABEL: func.func @slice_strided
//       CHECK: %[[R:.+]] = tensor.extract_slice %{{.+}}[0, 2] [4, 3] [1, 2] : tensor<4x8xf32> to tensor<4x3xf32>
//       CHECK: return %[[R]]
func.func @slice_strided(%x: tensor<4x8xf32>) -> tensor<4x3xf32> {
  %r = mllm.slice %x starts = [0, 2] ends = [4, 8] steps = [1, 2] : tensor<4x8xf32> -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// A dynamic dim clamps at run time: offset = min(start, dim),
// size = max(0, ceildiv(min(end, dim) - offset, step)).
// CHECK-LABEL: func.func @slice_dynamic
//  CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x8xf32>
//       CHECK: %[[START:.+]] = arith.constant 1 : index
//       CHECK: %[[OFF:.+]] = arith.minsi %[[START]], %[[D]] : index
//       CHECK: %[[END:.+]] = arith.constant 9223372036854775807 : index
//       CHECK: %[[E:.+]] = arith.minsi %[[END]], %[[D]] : index
//       CHECK: %[[N:.+]] = arith.subi %[[E]], %[[OFF]] : index
//       CHECK: %[[STEP:.+]] = arith.constant 2 : index
//       CHECK: %[[Q:.+]] = arith.ceildivsi %[[N]], %[[STEP]] : index
//       CHECK: %[[Z:.+]] = arith.constant 0 : index
//       CHECK: %[[SIZE:.+]] = arith.maxsi %[[Q]], %[[Z]] : index
//       CHECK: %[[R:.+]] = tensor.extract_slice %[[X]][%[[OFF]], 0] [%[[SIZE]], 8] [2, 1] : tensor<?x8xf32> to tensor<?x8xf32>
//       CHECK: return %[[R]]
func.func @slice_dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = mllm.slice %x starts = [1, 0] ends = [9223372036854775807, 8] steps = [2, 1] : tensor<?x8xf32> -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// A negative step on a dynamic dim starts at min(start, dim - 1), known only
// at run time: the generic computes each position and extracts it.
// CHECK-LABEL: func.func @slice_reverse_dynamic
//  CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x8xf32>
//       CHECK: %[[LAST:.+]] = arith.subi %[[D]], %{{.+}} : index
//       CHECK: %[[FIRST:.+]] = arith.minsi %{{.+}}, %[[LAST]] : index
//       CHECK: %[[SIZE:.+]] = arith.maxsi
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[SIZE]]) : tensor<?x4xf32>
//       CHECK: linalg.generic {{.+}} outs(%[[INIT]] : tensor<?x4xf32>)
//       CHECK:   %[[I:.+]] = linalg.index 0 : index
//       CHECK:   %[[M1:.+]] = arith.constant -1 : index
//       CHECK:   %[[IS:.+]] = arith.muli %[[I]], %[[M1]] : index
//       CHECK:   %[[ROW:.+]] = arith.addi %[[FIRST]], %[[IS]] : index
//       CHECK:   %[[J:.+]] = linalg.index 1 : index
//       CHECK:   %[[M2:.+]] = arith.constant -2 : index
//       CHECK:   %[[JS:.+]] = arith.muli %[[J]], %[[M2]] : index
//       CHECK:   %[[C7:.+]] = arith.constant 7 : index
//       CHECK:   %[[COL:.+]] = arith.addi %[[C7]], %[[JS]] : index
//       CHECK:   tensor.extract %[[X]][%[[ROW]], %[[COL]]] : tensor<?x8xf32>
func.func @slice_reverse_dynamic(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %r = mllm.slice %x starts = [9223372036854775807, 7] ends = [-1, -1] steps = [-1, -2] : tensor<?x8xf32> -> tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// A negative step reads start + i * step in a copy generic.
// CHECK-DAG: #[[REV:.+]] = affine_map<(d0, d1) -> (d0, d1 * -2 + 7)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @slice_reverse
//       CHECK: %[[INIT:.+]] = tensor.empty() : tensor<4x4xf32>
//       CHECK: linalg.generic {indexing_maps = [#[[REV]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:   outs(%[[INIT]] : tensor<4x4xf32>)
//       CHECK:   ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
//       CHECK:   linalg.yield %[[V]] : f32
func.func @slice_reverse(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %r = mllm.slice %x starts = [0, 7] ends = [4, -1] steps = [1, -2] : tensor<4x8xf32> -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// Embedding lookup: negative ids wrap around the table size.
// CHECK-DAG: #[[IDS:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_embedding
//  CHECK-SAME: (%[[T:.+]]: tensor<32000x64xf32>, %[[I:.+]]: tensor<1x?xi64>)
//       CHECK: %[[N:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<1x?xi64>
//       CHECK: %[[ROWS:.+]] = arith.constant 32000 : index
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[N]]) : tensor<1x?x64xf32>
//       CHECK: linalg.generic {indexing_maps = [#[[IDS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[I]] : tensor<1x?xi64>) outs(%[[INIT]] : tensor<1x?x64xf32>)
//       CHECK:   ^bb0(%[[V:.+]]: i64, %{{.+}}: f32):
//       CHECK:   %[[IDX:.+]] = arith.index_cast %[[V]] : i64 to index
//       CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[IDX]], %{{.+}} : index
//       CHECK:   %[[WRAP:.+]] = arith.addi %[[IDX]], %[[ROWS]] : index
//       CHECK:   %[[ROW:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[IDX]] : index
//       CHECK:   %[[COL:.+]] = linalg.index 2 : index
//       CHECK:   %[[E:.+]] = tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<32000x64xf32>
//       CHECK:   linalg.yield %[[E]] : f32
func.func @gather_embedding(%t: tensor<32000x64xf32>, %i: tensor<1x?xi64>) -> tensor<1x?x64xf32> {
  %r = mllm.gather %t[%i] axis = 0 : (tensor<32000x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
  return %r : tensor<1x?x64xf32>
}

// -----

// A middle axis: the leading and trailing dims come from linalg.index.
// CHECK-DAG: #[[IDS:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @gather_axis1
//       CHECK: linalg.generic {indexing_maps = [#[[IDS]], #{{.+}}]
//       CHECK:   arith.index_cast %{{.+}} : i32 to index
//       CHECK:   %[[ROW:.+]] = arith.select
//       CHECK:   %[[D0:.+]] = linalg.index 0 : index
//       CHECK:   %[[D2:.+]] = linalg.index 2 : index
//       CHECK:   tensor.extract %{{.+}}[%[[D0]], %[[ROW]], %[[D2]]] : tensor<4x10x3xf16>
func.func @gather_axis1(%t: tensor<4x10x3xf16>, %i: tensor<2xi32>) -> tensor<4x2x3xf16> {
  %r = mllm.gather %t[%i] axis = 1 : (tensor<4x10x3xf16>, tensor<2xi32>) -> tensor<4x2x3xf16>
  return %r : tensor<4x2x3xf16>
}
