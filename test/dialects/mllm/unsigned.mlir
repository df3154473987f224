// RUN: mllmc-opt %s --split-input-file --verify-diagnostics | FileCheck %s

// Unsigned integer tensors (ONNX UINT8..UINT64) are accepted by the integer
// ops: arithmetic, comparison, max/min, select, casts, reductions, top_k and
// data movement.

// CHECK-LABEL: func.func @unsigned_ops
// CHECK: mllm.div %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
// CHECK: mllm.cmp lt, %{{.*}}, %{{.*}} : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
// CHECK: mllm.max %{{.*}}, %{{.*}} : (tensor<4xui32>, tensor<1xui32>) -> tensor<4xui32>
// CHECK: mllm.cast %{{.*}} : tensor<4xui64> to tensor<4xf32>
// CHECK: mllm.select
// CHECK: mllm.reduce_max %{{.*}} axes = [0] : tensor<4xui32> -> tensor<1xui32>
// CHECK: mllm.top_k
// CHECK: mllm.transpose
func.func @unsigned_ops(%a: tensor<4xui8>, %b: tensor<4xui16>,
                        %c: tensor<4xui32>, %d: tensor<1xui32>,
                        %e: tensor<4xui64>, %m: tensor<4xi1>,
                        %g: tensor<2x3xui8>)
    -> (tensor<4xui8>, tensor<4xi1>, tensor<4xui32>, tensor<4xf32>,
        tensor<4xui32>, tensor<1xui32>, tensor<2xui64>, tensor<3x2xui8>) {
  %0 = mllm.div %a, %a : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = mllm.cmp lt, %b, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  %2 = mllm.max %c, %d : (tensor<4xui32>, tensor<1xui32>) -> tensor<4xui32>
  %3 = mllm.cast %e : tensor<4xui64> to tensor<4xf32>
  %4 = mllm.select %m, %c, %2 : (tensor<4xi1>, tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  %5 = mllm.reduce_max %c axes = [0] : tensor<4xui32> -> tensor<1xui32>
  %6:2 = mllm.top_k %e k = 2 axis = 0 : tensor<4xui64> -> tensor<2xui64>, tensor<2xi64>
  %8 = mllm.transpose %g permutation = [1, 0] : tensor<2x3xui8> -> tensor<3x2xui8>
  return %0, %1, %2, %3, %4, %5, %6#0, %8 : tensor<4xui8>, tensor<4xi1>, tensor<4xui32>, tensor<4xf32>, tensor<4xui32>, tensor<1xui32>, tensor<2xui64>, tensor<3x2xui8>
}

// -----

// reduce_max takes i1 (logical or).
// CHECK-LABEL: func.func @reduce_max_bool
// CHECK: mllm.reduce_max %{{.*}} axes = [1] keepdims = false : tensor<2x3xi1> -> tensor<2xi1>
func.func @reduce_max_bool(%x: tensor<2x3xi1>) -> tensor<2xi1> {
  %r = mllm.reduce_max %x axes = [1] keepdims = false : tensor<2x3xi1> -> tensor<2xi1>
  return %r : tensor<2xi1>
}

// -----

func.func @float_only(%x: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'mllm.exp' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float values, but got 'tensor<4xui8>'}}
  %r = mllm.exp %x : tensor<4xui8>
  return %r : tensor<4xui8>
}

// -----

func.func @mixed_signedness(%a: tensor<4xui8>, %b: tensor<4xi8>) -> tensor<4xui8> {
  // expected-error @+2 {{'mllm.add' op operands must have the same element type, got 'ui8' and 'i8'}}
  // expected-error @+1 {{failed to infer returned types}}
  %r = mllm.add %a, %b : (tensor<4xui8>, tensor<4xi8>) -> tensor<4xui8>
  return %r : tensor<4xui8>
}
