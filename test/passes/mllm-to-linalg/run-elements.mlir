// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// gather_elements and scatter_elements lowered and run on the CPU.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>

  // Along the rows, 4 picks per row (more than the row is long), negative
  // ones from the end.
  %gi = arith.constant dense<[[2, 0, -1, -3], [1, 1, 0, -2]]> : tensor<2x4xi64>
  %g = mllm.gather_elements %x[%gi] axis = 1 : (tensor<2x3xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  // CHECK: {{\[}}[3,   1,   3,   1],
  // CHECK-NEXT: [5,   5,   4,   5]]
  %gu = tensor.cast %g : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%gu) : (tensor<*xf32>) -> ()

  // Down the columns, one row of indices (fewer than the data has).
  %ci = arith.constant dense<[[1, 0, -1]]> : tensor<1x3xi32>
  %c = mllm.gather_elements %x[%ci] axis = 0 : (tensor<2x3xf32>, tensor<1x3xi32>) -> tensor<1x3xf32>
  // CHECK: {{\[}}[4,   2,   6]]
  %cu = tensor.cast %c : tensor<1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%cu) : (tensor<*xf32>) -> ()

  // Scatter into the columns; with add, column 0 of row 0 is hit twice.
  %si = arith.constant dense<[[0, -3], [2, 1]]> : tensor<2x2xi64>
  %u = arith.constant dense<[[10.0, 20.0], [30.0, 40.0]]> : tensor<2x2xf32>
  %s = mllm.scatter_elements %x[%si], %u axis = 1 reduction = add : (tensor<2x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
  // CHECK: {{\[}}[31,   2,   3],
  // CHECK-NEXT: [4,   45,   36]]
  %su = tensor.cast %s : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%su) : (tensor<*xf32>) -> ()

  // Without a reduction, down the rows.
  %ri = arith.constant dense<[[1, -2, 1]]> : tensor<1x3xi64>
  %ru = arith.constant dense<[[-1.0, -2.0, -3.0]]> : tensor<1x3xf32>
  %r = mllm.scatter_elements %x[%ri], %ru axis = 0 : (tensor<2x3xf32>, tensor<1x3xi64>, tensor<1x3xf32>) -> tensor<2x3xf32>
  // CHECK: {{\[}}[1,   -2,   3],
  // CHECK-NEXT: [-1,   5,   -3]]
  %rr = tensor.cast %r : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%rr) : (tensor<*xf32>) -> ()
  return
}
