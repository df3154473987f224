// RUN: mllmc-opt %s -split-input-file | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s -split-input-file --mlir-print-op-generic | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s -split-input-file --convert-mllm-to-linalg | FileCheck %s --check-prefix=LINALG

// Round trip of gather_nd; batch_dims = 0 is the default and not printed.

// CHECK-LABEL: func @gather_nd
func.func @gather_nd(%mask: tensor<3x5xi1>, %idx: tensor<3x5x2xi64>) -> tensor<3x5xi1> {
  // CHECK: mllm.gather_nd %{{.*}}[%{{.*}}] : (tensor<3x5xi1>, tensor<3x5x2xi64>) -> tensor<3x5xi1>
  %0 = mllm.gather_nd %mask[%idx] : (tensor<3x5xi1>, tensor<3x5x2xi64>) -> tensor<3x5xi1>
  return %0 : tensor<3x5xi1>
}

// -----

// Batch dims: the result keeps them and the slices after the indexed dims;
// a dynamic batch dim merges with a static one.
// CHECK-LABEL: func @gather_nd_batch
// LINALG-LABEL: func @gather_nd_batch
func.func @gather_nd_batch(%x: tensor<?x4x8xf32>, %i: tensor<2x3x1xi32>) -> tensor<2x3x8xf32> {
  // CHECK: mllm.gather_nd %{{.*}}[%{{.*}}] batch_dims = 1 : (tensor<?x4x8xf32>, tensor<2x3x1xi32>) -> tensor<2x3x8xf32>
  // LINALG: linalg.generic
  // LINALG: %[[B:.*]] = linalg.index 0 : index
  // LINALG: %[[R:.*]] = linalg.index 1 : index
  // LINALG: %[[I:.*]] = tensor.extract %{{.*}}[%[[B]], %[[R]], %{{.*}}] : tensor<2x3x1xi32>
  // LINALG: %[[N:.*]] = arith.index_cast %[[I]] : i32 to index
  // LINALG: %[[NEG:.*]] = arith.cmpi slt, %[[N]]
  // LINALG: %[[WRAP:.*]] = arith.addi %[[N]], %c4
  // LINALG: %[[J:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[N]]
  // LINALG: %[[S:.*]] = linalg.index 2 : index
  // LINALG: tensor.extract %{{.*}}[%[[B]], %[[J]], %[[S]]] : tensor<?x4x8xf32>
  %0 = mllm.gather_nd %x[%i] batch_dims = 1 : (tensor<?x4x8xf32>, tensor<2x3x1xi32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}
