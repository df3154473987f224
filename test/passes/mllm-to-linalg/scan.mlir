// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// top_k: one loop per result dim (rows, then the k slots), each slot a scan
// of the row that reads back what the previous slot took (value, index) and
// takes the best element after it: smaller, or equal with a larger index.
// CHECK-LABEL: func.func @top_k
//  CHECK-SAME: (%[[X:.+]]: tensor<?x8xf32>)
//       CHECK: %[[N:.+]] = tensor.dim %[[X]]
//       CHECK: %[[VE:.+]] = tensor.empty(%[[N]]) : tensor<?x2xf32>
//       CHECK: %[[IE:.+]] = tensor.empty(%[[N]]) : tensor<?x2xi64>
//       CHECK: %[[R:.+]]:2 = scf.for %[[ROW:[a-z0-9_]+]] = %{{.+}} to %[[N]] {{.*}} iter_args(%{{.+}} = %[[VE]], %{{.+}} = %[[IE]])
//       CHECK:   scf.for %[[SLOT:[a-z0-9_]+]] = {{.*}} iter_args(%[[V:[a-z0-9_]+]] = %{{.+}}, %[[I:[a-z0-9_]+]] = %{{.+}})
//       CHECK:     %[[PV:.+]] = tensor.extract %[[V]][%[[ROW]], %{{.+}}]
//       CHECK:     %[[PI:.+]] = tensor.extract %[[I]][%[[ROW]], %{{.+}}]
//       CHECK:     %[[BEST:.+]]:2 = scf.for %[[J:[a-z0-9_]+]] = {{.*}} -> (f32, i64)
//       CHECK:       %[[E:.+]] = tensor.extract %[[X]][%[[ROW]], %[[J]]]
//       CHECK:       arith.cmpi sgt, %{{.+}}, %[[PI]] : i64
//       CHECK:       arith.cmpf oeq, %[[E]], %[[PV]] : f32
//       CHECK:       arith.cmpf olt, %[[E]], %[[PV]] : f32
//       CHECK:       arith.cmpf ogt, %[[E]], %{{.+}} : f32
//       CHECK:     tensor.insert %[[BEST]]#0 into %[[V]][%[[ROW]], %[[SLOT]]]
//       CHECK:     tensor.insert %[[BEST]]#1 into %[[I]][%[[ROW]], %[[SLOT]]]
//       CHECK: return %[[R]]#0, %[[R]]#1
func.func @top_k(%x: tensor<?x8xf32>) -> (tensor<?x2xf32>, tensor<?x2xi64>) {
  %v, %i = mllm.top_k %x k = 2 axis = 1 : tensor<?x8xf32> -> tensor<?x2xf32>, tensor<?x2xi64>
  return %v, %i : tensor<?x2xf32>, tensor<?x2xi64>
}

// -----

// cumsum, reverse: step j writes position n - 1 - j from the position after
// it, read back from the result.
// CHECK-LABEL: func.func @cumsum_reverse
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<5xi32>
//       CHECK: scf.for %[[J:[a-z0-9_]+]] = {{.*}} iter_args(%[[R:[a-z0-9_]+]] = %[[E]])
//       CHECK:   %[[P:[a-z0-9_]+]] = arith.subi %{{.+}}, %[[J]] : index
//       CHECK:   %[[NEXT:.+]] = arith.addi %[[P]], %{{.+}} : index
//       CHECK:   %[[PREV:.+]] = arith.select %{{.+}}, %[[P]], %[[NEXT]] : index
//       CHECK:   %[[S:.+]] = tensor.extract %[[R]][%[[PREV]]]
//       CHECK:   %[[X:.+]] = tensor.extract %{{.+}}[%[[P]]]
//       CHECK:   arith.addi %[[S]], %[[X]] : i32
//       CHECK:   tensor.insert %{{.+}} into %[[R]][%[[P]]]
func.func @cumsum_reverse(%x: tensor<5xi32>) -> tensor<5xi32> {
  %0 = mllm.cumsum %x axis = 0 reverse : tensor<5xi32> -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

// scatter_nd with reduction = mul: loops over the updates, starting from the
// data; the target row comes from indices (negative ones wrap) and the
// current value is multiplied in.
// CHECK-LABEL: func.func @scatter_mul
//  CHECK-SAME: (%[[D:.+]]: tensor<4x3xf32>, %[[I:.+]]: tensor<2x1xi32>, %[[U:.+]]: tensor<2x3xf32>)
//       CHECK: scf.for %[[P:[a-z0-9_]+]] = {{.*}} iter_args(%{{.+}} = %[[D]])
//       CHECK:   scf.for %[[T:[a-z0-9_]+]] = {{.*}} iter_args(%[[R:[a-z0-9_]+]] = %{{.+}})
//       CHECK:     %[[RAW:.+]] = tensor.extract %[[I]][%[[P]], %{{.+}}] : tensor<2x1xi32>
//       CHECK:     %[[IDX:.+]] = arith.index_cast %[[RAW]] : i32 to index
//       CHECK:     %[[NEG:.+]] = arith.cmpi slt, %[[IDX]]
//       CHECK:     %[[ROW:[a-z0-9_]+]] = arith.select %[[NEG]]
//       CHECK:     %[[UV:.+]] = tensor.extract %[[U]][%[[P]], %[[T]]]
//       CHECK:     %[[CUR:.+]] = tensor.extract %[[R]][%[[ROW]], %[[T]]]
//       CHECK:     %[[M:.+]] = arith.mulf %[[CUR]], %[[UV]] : f32
//       CHECK:     tensor.insert %[[M]] into %[[R]][%[[ROW]], %[[T]]]
func.func @scatter_mul(%d: tensor<4x3xf32>, %i: tensor<2x1xi32>, %u: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = mllm.scatter_nd %d[%i], %u reduction = mul : (tensor<4x3xf32>, tensor<2x1xi32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
