// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --canonicalize | FileCheck %s --check-prefix=FOLD

// Round trip of the reductions; keepdims = true is the default and not
// printed.

// CHECK-LABEL: func @reduce
func.func @reduce(%x: tensor<2x?x8xf32>, %i: tensor<4x6xi32>) {
  // CHECK: mllm.reduce_mean %{{.*}} axes = [2] : tensor<2x?x8xf32> -> tensor<2x?x1xf32>
  %0 = mllm.reduce_mean %x axes = [2] : tensor<2x?x8xf32> -> tensor<2x?x1xf32>
  // CHECK: mllm.reduce_mean %{{.*}} axes = [1, 2] keepdims = false : tensor<2x?x8xf32> -> tensor<2xf32>
  %1 = mllm.reduce_mean %x axes = [1, 2] keepdims = false : tensor<2x?x8xf32> -> tensor<2xf32>
  // CHECK: mllm.reduce_sum %{{.*}} axes = [0] keepdims = false : tensor<4x6xi32> -> tensor<6xi32>
  %2 = mllm.reduce_sum %i axes = [0] keepdims = false : tensor<4x6xi32> -> tensor<6xi32>
  // CHECK: mllm.reduce_max %{{.*}} axes = [0, 1, 2] : tensor<2x?x8xf32> -> tensor<1x1x1xf32>
  %3 = mllm.reduce_max %x axes = [0, 1, 2] : tensor<2x?x8xf32> -> tensor<1x1x1xf32>
  // CHECK: mllm.reduce_sum %{{.*}} axes = [] : tensor<4x6xi32> -> tensor<4x6xi32>
  %4 = mllm.reduce_sum %i axes = [] : tensor<4x6xi32> -> tensor<4x6xi32>
  return
}

// A reduction over no axes folds to its input.
// FOLD-LABEL: func @empty_axes
// FOLD-NEXT: return %arg0
func.func @empty_axes(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %0 = mllm.reduce_max %x axes = [] : tensor<4x6xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
