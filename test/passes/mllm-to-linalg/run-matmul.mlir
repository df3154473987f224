// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// matmul (2-D and broadcast batch), linear with bias on a rank-3 input, a
// gated MLP and the data movement ops, lowered to loops and run on the CPU
// against numpy.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  // CHECK: {{\[}}[2,   3],
  // CHECK-NEXT: [8,   9]]
  %a = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %mm = mllm.matmul %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %mmd = tensor.cast %mm : tensor<2x2xf32> to tensor<?x?xf32>
  call @print(%mmd) : (tensor<?x?xf32>) -> ()

  // [2, 1, 2, 3] x [2, 3, 2]: the batch dims broadcast to [2, 2].
  // CHECK: {{\[}}[5,   6.5],
  // CHECK-NEXT: [14,   20],
  // CHECK-NEXT: [14,   15.5],
  // CHECK-NEXT: [50,   56],
  // CHECK-NEXT: [23,   33.5],
  // CHECK-NEXT: [32,   47],
  // CHECK-NEXT: [86,   96.5],
  // CHECK-NEXT: [122,   137]]
  %ba = arith.constant dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]], [[[6.0, 7.0, 8.0], [9.0, 10.0, 11.0]]]]> : tensor<2x1x2x3xf32>
  %bb = arith.constant dense<[[[0.0, 0.5], [1.0, 1.5], [2.0, 2.5]], [[3.0, 3.5], [4.0, 4.5], [5.0, 5.5]]]> : tensor<2x3x2xf32>
  %bmm = mllm.matmul %ba, %bb : (tensor<2x1x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2x2xf32>
  %bflat = mllm.reshape %bmm : tensor<2x2x2x2xf32> -> tensor<8x2xf32>
  %bd = tensor.cast %bflat : tensor<8x2xf32> to tensor<?x?xf32>
  call @print(%bd) : (tensor<?x?xf32>) -> ()

  // linear on [1, 2, 3] with bias.
  // CHECK: {{\[}}[1.65,   -0.2],
  // CHECK-NEXT: [3,   1.6]]
  %x = arith.constant dense<[[[0.0, 0.5, 1.0], [1.5, 2.0, 2.5]]]> : tensor<1x2x3xf32>
  %w = arith.constant dense<[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]> : tensor<3x2xf32>
  %bias = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %lin = mllm.linear %x, %w, %bias : (tensor<1x2x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  %lin2 = mllm.reshape %lin : tensor<1x2x2xf32> -> tensor<2x2xf32>
  %lind = tensor.cast %lin2 : tensor<2x2xf32> to tensor<?x?xf32>
  call @print(%lind) : (tensor<?x?xf32>) -> ()

  // down(silu(x . gate) * (x . up)).
  // CHECK: {{\[}}[0.289828,   0.198286],
  // CHECK-NEXT: [4.25369,   3.78082]]
  %wu = arith.constant dense<[[0.5, 0.0, -0.5], [0.0, 0.5, 0.5], [0.5, 0.5, 0.0]]> : tensor<3x3xf32>
  %wg = arith.constant dense<[[0.0, 0.5, 0.5], [0.5, 0.0, -0.5], [0.5, 0.5, 0.5]]> : tensor<3x3xf32>
  %wd = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]> : tensor<3x2xf32>
  %mlp = mllm.mlp silu %x up %wu gate %wg down %wd : (tensor<1x2x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x2xf32>) -> tensor<1x2x2xf32>
  %mlp2 = mllm.reshape %mlp : tensor<1x2x2xf32> -> tensor<2x2xf32>
  %mlpd = tensor.cast %mlp2 : tensor<2x2xf32> to tensor<?x?xf32>
  call @print(%mlpd) : (tensor<?x?xf32>) -> ()

  // transpose, then concat with the original along axis 0.
  // CHECK: {{\[}}[0,   3],
  // CHECK-NEXT: [1,   4],
  // CHECK-NEXT: [2,   5],
  // CHECK-NEXT: [1,   0],
  // CHECK-NEXT: [0,   1],
  // CHECK-NEXT: [1,   1]]
  %t = mllm.transpose %a permutation = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %cat = mllm.concat %t, %b axis = 0 : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<6x2xf32>
  %catd = tensor.cast %cat : tensor<6x2xf32> to tensor<?x?xf32>
  call @print(%catd) : (tensor<?x?xf32>) -> ()

  // Reverse the columns (step -1), then gather rows [1, -2, 0].
  // CHECK: {{\[}}[5,   4,   3],
  // CHECK-NEXT: [2,   1,   0],
  // CHECK-NEXT: [2,   1,   0]]
  %rev = mllm.slice %a starts = [0, 2] ends = [2, -1] steps = [1, -1] : tensor<2x3xf32> -> tensor<2x3xf32>
  %ids = arith.constant dense<[1, -2, 0]> : tensor<3xi64>
  %gat = mllm.gather %rev[%ids] axis = 0 : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<3x3xf32>
  %gatd = tensor.cast %gat : tensor<3x3xf32> to tensor<?x?xf32>
  call @print(%gatd) : (tensor<?x?xf32>) -> ()

  // Slices of a dynamic dim clamp at run time: rows from INT64_MAX down
  // (reversed), and rows 1.. to INT64_MAX.
  // CHECK: {{\[}}[3,   4,   5],
  // CHECK-NEXT: [0,   1,   2]]
  // CHECK: {{\[}}[3,   4,   5]]
  %dyn = tensor.cast %a : tensor<2x3xf32> to tensor<?x3xf32>
  %back = mllm.slice %dyn starts = [9223372036854775807, 0] ends = [-1, 3] steps = [-1, 1] : tensor<?x3xf32> -> tensor<?x3xf32>
  %backd = tensor.cast %back : tensor<?x3xf32> to tensor<?x?xf32>
  call @print(%backd) : (tensor<?x?xf32>) -> ()
  %tail = mllm.slice %dyn starts = [1, 0] ends = [9223372036854775807, 3] steps = [1, 1] : tensor<?x3xf32> -> tensor<?x3xf32>
  %taild = tensor.cast %tail : tensor<?x3xf32> to tensor<?x?xf32>
  call @print(%taild) : (tensor<?x?xf32>) -> ()
  return
}
