// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// top_k, cumsum and scatter_nd lowered to scalar loops and run on the CPU.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @main() {
  // The 3 largest of each row; the ties (2.0 twice, 5.0 three times) come
  // out by lower index first.
  %x = arith.constant dense<[[1.0, 2.0, 9.0, 2.0, -1.0], [5.0, 5.0, 0.0, 7.0, 5.0]]> : tensor<2x5xf32>
  %v, %i = mllm.top_k %x k = 3 axis = 1 : tensor<2x5xf32> -> tensor<2x3xf32>, tensor<2x3xi64>
  // CHECK: {{\[}}[9,   2,   2],
  // CHECK-NEXT: [7,   5,   5]]
  %vu = tensor.cast %v : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%vu) : (tensor<*xf32>) -> ()
  // CHECK: {{\[}}[2,   1,   3],
  // CHECK-NEXT: [3,   0,   1]]
  %iu = tensor.cast %i : tensor<2x3xi64> to tensor<*xi64>
  call @printMemrefI64(%iu) : (tensor<*xi64>) -> ()

  // The 2 smallest along axis 0 of an i32 tensor whose minimum is INT_MIN.
  %y = arith.constant dense<[[3, -2147483648], [3, 4], [1, -2147483648]]> : tensor<3x2xi32>
  %sv, %si = mllm.top_k %y k = 2 axis = 0 largest = false : tensor<3x2xi32> -> tensor<2x2xi32>, tensor<2x2xi64>
  // CHECK: {{\[}}[1,   -2147483648],
  // CHECK-NEXT: [3,   -2147483648]]
  %svu = tensor.cast %sv : tensor<2x2xi32> to tensor<*xi32>
  call @printMemrefI32(%svu) : (tensor<*xi32>) -> ()
  // CHECK: {{\[}}[2,   0],
  // CHECK-NEXT: [0,   2]]
  %siu = tensor.cast %si : tensor<2x2xi64> to tensor<*xi64>
  call @printMemrefI64(%siu) : (tensor<*xi64>) -> ()

  // Running sums along the rows: inclusive, exclusive reverse.
  %c = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]]> : tensor<2x4xf32>
  %c1 = mllm.cumsum %c axis = 1 : tensor<2x4xf32> -> tensor<2x4xf32>
  // CHECK: {{\[}}[1,   3,   6,   10],
  // CHECK-NEXT: [10,   30,   60,   100]]
  %c1u = tensor.cast %c1 : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%c1u) : (tensor<*xf32>) -> ()
  %c2 = mllm.cumsum %c axis = 1 exclusive reverse : tensor<2x4xf32> -> tensor<2x4xf32>
  // CHECK: {{\[}}[9,   7,   4,   0],
  // CHECK-NEXT: [90,   70,   40,   0]]
  %c2u = tensor.cast %c2 : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%c2u) : (tensor<*xf32>) -> ()
  // Down the columns of an i32 tensor, exclusive.
  %ci = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
  %c3 = mllm.cumsum %ci axis = 0 exclusive : tensor<3x2xi32> -> tensor<3x2xi32>
  // CHECK: {{\[}}[0,   0],
  // CHECK-NEXT: [1,   2],
  // CHECK-NEXT: [4,   6]]
  %c3u = tensor.cast %c3 : tensor<3x2xi32> to tensor<*xi32>
  call @printMemrefI32(%c3u) : (tensor<*xi32>) -> ()

  // Rows 2 and -1 (= 3) of a 4x3 zero tensor get updates; with add, row 2
  // is hit twice and accumulates.
  %d = arith.constant dense<0.0> : tensor<4x3xf32>
  %idx = arith.constant dense<[[2], [-1], [2]]> : tensor<3x1xi64>
  %u = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [10.0, 10.0, 10.0]]> : tensor<3x3xf32>
  %s1 = mllm.scatter_nd %d[%idx], %u : (tensor<4x3xf32>, tensor<3x1xi64>, tensor<3x3xf32>) -> tensor<4x3xf32>
  // CHECK: {{\[}}[0,   0,   0],
  // CHECK-NEXT: [0,   0,   0],
  // CHECK-NEXT: [10,   10,   10],
  // CHECK-NEXT: [4,   5,   6]]
  %s1u = tensor.cast %s1 : tensor<4x3xf32> to tensor<*xf32>
  call @printMemrefF32(%s1u) : (tensor<*xf32>) -> ()
  %s2 = mllm.scatter_nd %d[%idx], %u reduction = add : (tensor<4x3xf32>, tensor<3x1xi64>, tensor<3x3xf32>) -> tensor<4x3xf32>
  // CHECK: {{\[}}[0,   0,   0],
  // CHECK-NEXT: [0,   0,   0],
  // CHECK-NEXT: [11,   12,   13],
  // CHECK-NEXT: [4,   5,   6]]
  %s2u = tensor.cast %s2 : tensor<4x3xf32> to tensor<*xf32>
  call @printMemrefF32(%s2u) : (tensor<*xf32>) -> ()
  // Element indices with max.
  %e = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %eidx = arith.constant dense<[[0, 1], [1, 1], [0, 1]]> : tensor<3x2xi32>
  %eu = arith.constant dense<[7, 1, 5]> : tensor<3xi32>
  %s3 = mllm.scatter_nd %e[%eidx], %eu reduction = max : (tensor<2x2xi32>, tensor<3x2xi32>, tensor<3xi32>) -> tensor<2x2xi32>
  // CHECK: {{\[}}[1,   7],
  // CHECK-NEXT: [3,   4]]
  %s3u = tensor.cast %s3 : tensor<2x2xi32> to tensor<*xi32>
  call @printMemrefI32(%s3u) : (tensor<*xi32>) -> ()
  return
}
