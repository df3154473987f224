// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// arg_min over the last axis of an i32 tensor with a dynamic batch: one
// reduction generic with two outputs (the running minimum, from the largest
// i32, and its i64 index); a strictly smaller element replaces the pair, so
// ties keep the first index. keepdims expands the indices with a unit dim.
//   CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
//   CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @arg_min_rows
//  CHECK-SAME: (%[[X:.+]]: tensor<?x8xi32>)
//       CHECK: %[[N:.+]] = tensor.dim %[[X]]
//       CHECK: %[[VE:.+]] = tensor.empty(%[[N]]) : tensor<?xi32>
//       CHECK: %[[MAXI:.+]] = arith.constant 2147483647 : i32
//       CHECK: %[[V:.+]] = linalg.fill ins(%[[MAXI]] : i32) outs(%[[VE]] : tensor<?xi32>)
//       CHECK: %[[IE:.+]] = tensor.empty(%[[N]]) : tensor<?xi64>
//       CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : i64) outs(%[[IE]] : tensor<?xi64>)
//       CHECK: %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xi32>) outs(%[[V]], %[[I]] : tensor<?xi32>, tensor<?xi64>)
//       CHECK: ^bb0(%[[IN:.+]]: i32, %[[BEST:.+]]: i32, %[[AT:.+]]: i64):
//       CHECK:   %[[POS:.+]] = linalg.index 1 : index
//       CHECK:   %[[POS64:.+]] = arith.index_cast %[[POS]] : index to i64
//       CHECK:   %[[LT:.+]] = arith.cmpi slt, %[[IN]], %[[BEST]] : i32
//       CHECK:   %[[NV:.+]] = arith.select %[[LT]], %[[IN]], %[[BEST]] : i32
//       CHECK:   %[[NI:.+]] = arith.select %[[LT]], %[[POS64]], %[[AT]] : i64
//       CHECK:   linalg.yield %[[NV]], %[[NI]] : i32, i64
//       CHECK: %[[E:.+]] = tensor.expand_shape %[[R]]#1 {{\[}}[0, 1]] output_shape [%{{.+}}, 1] : tensor<?xi64> into tensor<?x1xi64>
//       CHECK: return %[[E]]
func.func @arg_min_rows(%x: tensor<?x8xi32>) -> tensor<?x1xi64> {
  %0 = mllm.arg_min %x axis = 1 : tensor<?x8xi32> -> tensor<?x1xi64>
  return %0 : tensor<?x1xi64>
}

// -----

// arg_max over the first axis of f16 with select_last_index: the running
// maximum starts at -inf and an equal element replaces it (oge), so the last
// index wins ties.
// CHECK-LABEL: func.func @arg_max_last
//       CHECK: arith.constant 0xFC00 : f16
//       CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
//       CHECK:   linalg.index 0 : index
//       CHECK:   arith.cmpf oge
//       CHECK: tensor.expand_shape %{{.+}}#1 {{\[}}[0, 1]] output_shape [1, 3] : tensor<3xi64> into tensor<1x3xi64>
func.func @arg_max_last(%x: tensor<5x3xf16>) -> tensor<1x3xi64> {
  %0 = mllm.arg_max %x axis = 0 select_last_index : tensor<5x3xf16> -> tensor<1x3xi64>
  return %0 : tensor<1x3xi64>
}

// -----

// Without keepdims a 1-D input gives a scalar index; with keepdims it
// expands to [1].
// CHECK-LABEL: func.func @arg_max_vector
//       CHECK: %[[R:.+]]:2 = linalg.generic {{.*}} iterator_types = ["reduction"]
//       CHECK:   arith.cmpf ogt
//       CHECK: } -> (tensor<f32>, tensor<i64>)
//       CHECK: %[[RK:.+]]:2 = linalg.generic
//       CHECK: %[[K:.+]] = tensor.expand_shape %[[RK]]#1 [] output_shape [1] : tensor<i64> into tensor<1xi64>
//       CHECK: return %[[R]]#1, %[[K]]
func.func @arg_max_vector(%x: tensor<5xf32>) -> (tensor<i64>, tensor<1xi64>) {
  %0 = mllm.arg_max %x axis = 0 keepdims = false : tensor<5xf32> -> tensor<i64>
  %1 = mllm.arg_max %x axis = 0 : tensor<5xf32> -> tensor<1xi64>
  return %0, %1 : tensor<i64>, tensor<1xi64>
}
