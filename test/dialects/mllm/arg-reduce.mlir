// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of arg_max and arg_min; keepdims = true is the default and not
// printed, select_last_index is a unit attribute.

// CHECK-LABEL: func @arg_reduce
func.func @arg_reduce(%x: tensor<2x?x8xf32>, %i: tensor<5xi32>) {
  // CHECK: mllm.arg_max %{{.*}} axis = 2 : tensor<2x?x8xf32> -> tensor<2x?x1xi64>
  %0 = mllm.arg_max %x axis = 2 : tensor<2x?x8xf32> -> tensor<2x?x1xi64>
  // CHECK: mllm.arg_max %{{.*}} axis = 1 keepdims = false select_last_index : tensor<2x?x8xf32> -> tensor<2x8xi64>
  %1 = mllm.arg_max %x axis = 1 keepdims = false select_last_index : tensor<2x?x8xf32> -> tensor<2x8xi64>
  // CHECK: mllm.arg_min %{{.*}} axis = 0 select_last_index : tensor<5xi32> -> tensor<1xi64>
  %2 = mllm.arg_min %i axis = 0 select_last_index : tensor<5xi32> -> tensor<1xi64>
  // CHECK: mllm.arg_min %{{.*}} axis = 0 keepdims = false : tensor<5xi32> -> tensor<i64>
  %3 = mllm.arg_min %i axis = 0 keepdims = false : tensor<5xi32> -> tensor<i64>
  return
}
