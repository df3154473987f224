// RUN: mllmc-opt --mllmc-form-dispatches --cse %s | FileCheck %s

// An op that computes only an empty tensor gets no dispatch, and an empty
// result (here an alias of an argument) needs no copy.
// CHECK-LABEL: func.func @empty_results
//   CHECK-NOT:   call
//   CHECK-DAG:   %[[A:.+]] = tensor.empty() : tensor<0x4xf32>
//   CHECK-DAG:   %[[B:.+]] = tensor.empty() : tensor<4x0xf32>
//       CHECK:   return %[[A]], %[[B]]
func.func @empty_results(%x: tensor<0x4xf32>) -> (tensor<0x4xf32>, tensor<4x0xf32>) {
  %e = tensor.empty() : tensor<0x4xf32>
  %neg = linalg.negf ins(%x : tensor<0x4xf32>) outs(%e : tensor<0x4xf32>) -> tensor<0x4xf32>
  %r = tensor.collapse_shape %x [[0, 1]] : tensor<0x4xf32> into tensor<0xf32>
  %t = tensor.expand_shape %r [[0, 1]] output_shape [4, 0] : tensor<0xf32> into tensor<4x0xf32>
  return %neg, %t : tensor<0x4xf32>, tensor<4x0xf32>
}
