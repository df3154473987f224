// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of the shape and data movement ops and of constants.

// CHECK-LABEL: func @reshape
func.func @reshape(%x: tensor<2x3x4xf32>, %d: tensor<?x4xf32>) {
  // CHECK: mllm.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %0 = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: mllm.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<?x12xf32>
  %1 = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<?x12xf32>
  // CHECK: mllm.reshape %{{.*}} : tensor<?x4xf32> -> tensor<?x2x2xf32>
  %2 = mllm.reshape %d : tensor<?x4xf32> -> tensor<?x2x2xf32>
  // CHECK: mllm.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<24xf32>
  %3 = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  return
}

// CHECK-LABEL: func @transpose
func.func @transpose(%x: tensor<1x16x8x?xf32>, %i: tensor<2x3xi64>) {
  // CHECK: mllm.transpose %{{.*}} permutation = [0, 2, 1, 3] : tensor<1x16x8x?xf32> -> tensor<1x8x16x?xf32>
  %0 = mllm.transpose %x permutation = [0, 2, 1, 3] : tensor<1x16x8x?xf32> -> tensor<1x8x16x?xf32>
  // CHECK: mllm.transpose %{{.*}} permutation = [3, 0, 1, 2] : tensor<1x16x8x?xf32> -> tensor<?x1x16x8xf32>
  %1 = mllm.transpose %x permutation = [3, 0, 1, 2] : tensor<1x16x8x?xf32> -> tensor<?x1x16x8xf32>
  // CHECK: mllm.transpose %{{.*}} permutation = [1, 0] : tensor<2x3xi64> -> tensor<3x2xi64>
  %2 = mllm.transpose %i permutation = [1, 0] : tensor<2x3xi64> -> tensor<3x2xi64>
  return
}

// CHECK-LABEL: func @concat
func.func @concat(%a: tensor<1x4x64xf32>, %b: tensor<1x?x64xf32>,
                  %c: tensor<?x2x64xf32>, %d: tensor<3xi64>) {
  // CHECK: mllm.concat %{{.*}}, %{{.*}} axis = 1 : (tensor<1x4x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  %0 = mllm.concat %a, %b axis = 1 : (tensor<1x4x64xf32>, tensor<1x?x64xf32>) -> tensor<1x?x64xf32>
  // A dynamic size merges with the static one of another input.
  // CHECK: mllm.concat %{{.*}}, %{{.*}}, %{{.*}} axis = 1 : (tensor<1x4x64xf32>, tensor<?x2x64xf32>, tensor<1x4x64xf32>) -> tensor<1x10x64xf32>
  %1 = mllm.concat %a, %c, %a axis = 1 : (tensor<1x4x64xf32>, tensor<?x2x64xf32>, tensor<1x4x64xf32>) -> tensor<1x10x64xf32>
  // CHECK: mllm.concat %{{.*}}, %{{.*}} axis = 2 : (tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x128xf32>
  %2 = mllm.concat %a, %a axis = 2 : (tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<1x4x128xf32>
  // CHECK: mllm.concat %{{.*}} axis = 0 : (tensor<3xi64>) -> tensor<3xi64>
  %3 = mllm.concat %d axis = 0 : (tensor<3xi64>) -> tensor<3xi64>
  return
}

// CHECK-LABEL: func @slice
func.func @slice(%x: tensor<4x8xf32>, %d: tensor<?x8xf32>) {
  // CHECK: mllm.slice %{{.*}} starts = [0, 2] ends = [4, 8] steps = [1, 2] : tensor<4x8xf32> -> tensor<4x3xf32>
  %0 = mllm.slice %x starts = [0, 2] ends = [4, 8] steps = [1, 2] : tensor<4x8xf32> -> tensor<4x3xf32>
  // Negative steps walk backwards; end -1 runs through index 0.
  // CHECK: mllm.slice %{{.*}} starts = [3, 7] ends = [-1, 0] steps = [-1, -3] : tensor<4x8xf32> -> tensor<4x3xf32>
  %1 = mllm.slice %x starts = [3, 7] ends = [-1, 0] steps = [-1, -3] : tensor<4x8xf32> -> tensor<4x3xf32>
  // An empty range gives a zero-sized dimension.
  // CHECK: mllm.slice %{{.*}} starts = [2, 0] ends = [2, 8] steps = [1, 1] : tensor<4x8xf32> -> tensor<0x8xf32>
  %2 = mllm.slice %x starts = [2, 0] ends = [2, 8] steps = [1, 1] : tensor<4x8xf32> -> tensor<0x8xf32>
  // CHECK: mllm.slice %{{.*}} starts = [1, 0] ends = [3, 4] steps = [1, 1] : tensor<?x8xf32> -> tensor<?x4xf32>
  %3 = mllm.slice %d starts = [1, 0] ends = [3, 4] steps = [1, 1] : tensor<?x8xf32> -> tensor<?x4xf32>
  // On a dynamic dimension a positive step's end may exceed the size.
  // CHECK: mllm.slice %{{.*}} starts = [2, 0] ends = [9223372036854775807, 8] steps = [1, 1] : tensor<?x8xf32> -> tensor<?x8xf32>
  %4 = mllm.slice %d starts = [2, 0] ends = [9223372036854775807, 8] steps = [1, 1] : tensor<?x8xf32> -> tensor<?x8xf32>
  return
}

// CHECK-LABEL: func @gather
func.func @gather(%table: tensor<32000x64xf32>, %ids: tensor<1x?xi64>,
                  %x: tensor<2x3x4xf32>, %j: tensor<i32>, %k: tensor<5xi32>) {
  // CHECK: mllm.gather %{{.*}}[%{{.*}}] axis = 0 : (tensor<32000x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
  %0 = mllm.gather %table[%ids] axis = 0 : (tensor<32000x64xf32>, tensor<1x?xi64>) -> tensor<1x?x64xf32>
  // A scalar index drops the gathered dimension.
  // CHECK: mllm.gather %{{.*}}[%{{.*}}] axis = 1 : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
  %1 = mllm.gather %x[%j] axis = 1 : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
  // CHECK: mllm.gather %{{.*}}[%{{.*}}] axis = 2 : (tensor<2x3x4xf32>, tensor<5xi32>) -> tensor<2x3x5xf32>
  %2 = mllm.gather %x[%k] axis = 2 : (tensor<2x3x4xf32>, tensor<5xi32>) -> tensor<2x3x5xf32>
  return
}

// CHECK-LABEL: func @constant
func.func @constant() {
  // CHECK: mllm.constant dense<1.000000e+00> : tensor<4xf32>
  %0 = mllm.constant dense<1.0> : tensor<4xf32>
  // CHECK: mllm.constant dense<[1, 2, 3]> : tensor<3xi64>
  %1 = mllm.constant dense<[1, 2, 3]> : tensor<3xi64>
  // CHECK: mllm.constant dense<true> : tensor<2x2xi1>
  %2 = mllm.constant dense<true> : tensor<2x2xi1>
  // Weights imported from ONNX are resources, printed by name.
  // CHECK: mllm.constant dense_resource<weight> : tensor<2xf32>
  %3 = mllm.constant dense_resource<weight> : tensor<2xf32>
  return
}

// The resource blob survives the round trip: 4-byte alignment header, then
// the two floats 1.0 and 2.0.
// CHECK: dialect_resources
// CHECK-NEXT: builtin
// CHECK-NEXT: weight: "0x040000000000803F00000040"
{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F00000040"
    }
  }
#-}
