// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of the bitwise ops and shifts on signless and unsigned
// integers, and of the trigonometric and hyperbolic ops.

// CHECK-LABEL: func @bitwise
func.func @bitwise(%a: tensor<2x4xi32>, %b: tensor<4xi32>, %u: tensor<4xui8>,
                   %v: tensor<3x1xui8>) {
  // CHECK: mllm.bitwise_and %{{.*}}, %{{.*}} : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  %0 = mllm.bitwise_and %a, %b : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  // CHECK: mllm.bitwise_or %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<3x1xui8>) -> tensor<3x4xui8>
  %1 = mllm.bitwise_or %u, %v : (tensor<4xui8>, tensor<3x1xui8>) -> tensor<3x4xui8>
  // CHECK: mllm.bitwise_xor %{{.*}}, %{{.*}} : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  %2 = mllm.bitwise_xor %a, %a : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  // CHECK: mllm.bitwise_not %{{.*}} : tensor<4xui8>
  %3 = mllm.bitwise_not %u : tensor<4xui8>
  // CHECK: mllm.shift_left %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<3x1xui8>) -> tensor<3x4xui8>
  %4 = mllm.shift_left %u, %v : (tensor<4xui8>, tensor<3x1xui8>) -> tensor<3x4xui8>
  // CHECK: mllm.shift_right %{{.*}}, %{{.*}} : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  %5 = mllm.shift_right %a, %b : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  return
}

// CHECK-LABEL: func @trig
func.func @trig(%x: tensor<8xf32>, %h: tensor<2x?xf16>) {
  // CHECK: mllm.tan %{{.*}} : tensor<8xf32>
  %0 = mllm.tan %x : tensor<8xf32>
  // CHECK: mllm.asin %{{.*}} : tensor<8xf32>
  %1 = mllm.asin %x : tensor<8xf32>
  // CHECK: mllm.acos %{{.*}} : tensor<8xf32>
  %2 = mllm.acos %x : tensor<8xf32>
  // CHECK: mllm.atan %{{.*}} : tensor<2x?xf16>
  %3 = mllm.atan %h : tensor<2x?xf16>
  // CHECK: mllm.sinh %{{.*}} : tensor<8xf32>
  %4 = mllm.sinh %x : tensor<8xf32>
  // CHECK: mllm.cosh %{{.*}} : tensor<8xf32>
  %5 = mllm.cosh %x : tensor<8xf32>
  // CHECK: mllm.asinh %{{.*}} : tensor<8xf32>
  %6 = mllm.asinh %x : tensor<8xf32>
  // CHECK: mllm.acosh %{{.*}} : tensor<8xf32>
  %7 = mllm.acosh %x : tensor<8xf32>
  // CHECK: mllm.atanh %{{.*}} : tensor<8xf32>
  %8 = mllm.atanh %x : tensor<8xf32>
  return
}
