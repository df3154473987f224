// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of top_k, cumsum and scatter_nd; largest/sorted = true and
// reduction = none are the defaults and not printed.

// CHECK-LABEL: func @top_k
func.func @top_k(%x: tensor<2x?xf32>, %i: tensor<8xi32>) {
  // CHECK: mllm.top_k %{{.*}} k = 3 axis = 1 : tensor<2x?xf32> -> tensor<2x3xf32>, tensor<2x3xi64>
  %0:2 = mllm.top_k %x k = 3 axis = 1 : tensor<2x?xf32> -> tensor<2x3xf32>, tensor<2x3xi64>
  // CHECK: mllm.top_k %{{.*}} k = 2 axis = 0 largest = false sorted = false : tensor<8xi32> -> tensor<2xi32>, tensor<2xi64>
  %1:2 = mllm.top_k %i k = 2 axis = 0 largest = false sorted = false : tensor<8xi32> -> tensor<2xi32>, tensor<2xi64>
  // CHECK: mllm.top_k %{{.*}} k = 0 axis = 0 : tensor<2x?xf32> -> tensor<0x?xf32>, tensor<0x?xi64>
  %2:2 = mllm.top_k %x k = 0 axis = 0 : tensor<2x?xf32> -> tensor<0x?xf32>, tensor<0x?xi64>
  return
}

// CHECK-LABEL: func @cumsum
func.func @cumsum(%x: tensor<1x?xi64>, %p: tensor<2x8xf16>) {
  // CHECK: mllm.cumsum %{{.*}} axis = 1 : tensor<1x?xi64> -> tensor<1x?xi64>
  %0 = mllm.cumsum %x axis = 1 : tensor<1x?xi64> -> tensor<1x?xi64>
  // CHECK: mllm.cumsum %{{.*}} axis = 0 exclusive reverse : tensor<2x8xf16> -> tensor<2x8xf16>
  %1 = mllm.cumsum %p axis = 0 exclusive reverse : tensor<2x8xf16> -> tensor<2x8xf16>
  return
}

// CHECK-LABEL: func @scatter_nd
func.func @scatter_nd(%cache: tensor<1x8x128x64xf32>, %pos: tensor<1x1x3xi64>,
                      %k: tensor<1x1x64xf32>, %x: tensor<4x4xf32>,
                      %idx: tensor<2x1xi32>, %u: tensor<2x4xf32>,
                      %m: tensor<4x4xi1>, %e: tensor<2xi64>, %b: tensor<i1>) {
  // CHECK: mllm.scatter_nd %{{.*}}[%{{.*}}], %{{.*}} : (tensor<1x8x128x64xf32>, tensor<1x1x3xi64>, tensor<1x1x64xf32>) -> tensor<1x8x128x64xf32>
  %0 = mllm.scatter_nd %cache[%pos], %k : (tensor<1x8x128x64xf32>, tensor<1x1x3xi64>, tensor<1x1x64xf32>) -> tensor<1x8x128x64xf32>
  // CHECK: mllm.scatter_nd %{{.*}}[%{{.*}}], %{{.*}} reduction = add : (tensor<4x4xf32>, tensor<2x1xi32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  %1 = mllm.scatter_nd %x[%idx], %u reduction = add : (tensor<4x4xf32>, tensor<2x1xi32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  // CHECK: mllm.scatter_nd %{{.*}}[%{{.*}}], %{{.*}} : (tensor<4x4xi1>, tensor<2xi64>, tensor<i1>) -> tensor<4x4xi1>
  %2 = mllm.scatter_nd %m[%e], %b : (tensor<4x4xi1>, tensor<2xi64>, tensor<i1>) -> tensor<4x4xi1>
  return
}
