// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// Lowered to loops and run on the CPU: softmax and the activations against
// reference values (numpy / math.erf).

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<2x4xf32>) {
  %u = tensor.cast %t : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0, -1000.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<2x4xf32>
  %v = arith.constant dense<[[-1.0, 0.0, 1.0, 2.0], [-1.0, 0.0, 1.0, 2.0]]> : tensor<2x4xf32>

  // Each row sums to 1; a very negative logit gets 0, equal logits share.
  // CHECK: [0.0900306,   0.244728,   0.665241,   0]
  // CHECK: [0.25,   0.25,   0.25,   0.25]
  %s = mllm.softmax %x axis = 1 : tensor<2x4xf32>
  call @print(%s) : (tensor<2x4xf32>) -> ()

  // Softmax over axis 0 of f16, computed in f32 and rounded to f16
  // (0.731059 0.880797 0.952574 0 / 0.268941 0.119203 0.0474259 1 in f32).
  // CHECK: [0.730957,   0.880859,   0.952637,   0]
  // CHECK: [0.269043,   0.119202,   0.0474243,   1]
  %h = mllm.cast %x : tensor<2x4xf32> to tensor<2x4xf16>
  %sh = mllm.softmax %h axis = 0 : tensor<2x4xf16>
  %shf = mllm.cast %sh : tensor<2x4xf16> to tensor<2x4xf32>
  call @print(%shf) : (tensor<2x4xf32>) -> ()

  // gelu(1) = 0.8413; tanh form 0.8412.
  // CHECK: [-0.158655,   0,   0.841345,   1.9545]
  %g = mllm.gelu %v : tensor<2x4xf32>
  call @print(%g) : (tensor<2x4xf32>) -> ()
  // CHECK: [-0.158808,   0,   0.841192,   1.9546]
  %gt = mllm.gelu %v approximate = tanh : tensor<2x4xf32>
  call @print(%gt) : (tensor<2x4xf32>) -> ()

  // CHECK: [-0.268941,   0,   0.731059,   1.76159]
  %si = mllm.silu %v : tensor<2x4xf32>
  call @print(%si) : (tensor<2x4xf32>) -> ()
  // CHECK: [-0.154204,   0,   0.845796,   1.93566]
  %q = mllm.quick_gelu %v : tensor<2x4xf32>
  call @print(%q) : (tensor<2x4xf32>) -> ()
  // CHECK: [0.268941,   0.5,   0.731059,   0.880797]
  %sg = mllm.sigmoid %v : tensor<2x4xf32>
  call @print(%sg) : (tensor<2x4xf32>) -> ()

  // Broadcasting a row against the matrix, then x^2.
  // CHECK: [4,   4,   4,   1]
  %row = arith.constant dense<[1.0, 2.0, 3.0, 3.0]> : tensor<4xf32>
  %d = mllm.sub %v, %row : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %sq = mllm.pow %d, %two : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  call @print(%sq) : (tensor<2x4xf32>) -> ()
  return
}
