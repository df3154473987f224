// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s

// layer_norm and rms_norm lowered to loops and run on the CPU, against numpy.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]]> : tensor<2x4xf32>
  %g = arith.constant dense<[1.0, 2.0, 1.0, 1.0]> : tensor<4xf32>
  %b = arith.constant dense<[0.0, 0.0, 1.0, 0.0]> : tensor<4xf32>

  // (x - mean) / sqrt(var + eps) * g + b per row: mean 2.5, var 1.25.
  // CHECK: [-1.34164,   -0.894424,   1.44721,   1.34164]
  // CHECK: [-1.34164,   -0.894426,   1.44721,   1.34164]
  %ln = mllm.layer_norm %x, %g, %b axis = 1 epsilon = 1.0e-05 : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %lnu = tensor.cast %ln : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%lnu) : (tensor<*xf32>) -> ()

  // Normalizing over two dims (axis = 1 of [1, 2, 4]), f16 in and out with
  // f32 statistics. numpy: -1.270169 -0.80829 -0.34641 0.11547 /
  // -0.80829 0.11547 1.039229 1.962989.
  // CHECK: [-1.27051,    -0.808105,    -0.346436,    0.115479]
  // CHECK: [-0.808105,    0.115479,    1.03906,    1.96289]
  %x3 = mllm.reshape %x : tensor<2x4xf32> -> tensor<1x2x4xf32>
  %h = mllm.cast %x3 : tensor<1x2x4xf32> to tensor<1x2x4xf16>
  %one = arith.constant dense<1.0> : tensor<f16>
  %lnh = mllm.layer_norm %h, %one axis = 1 epsilon = 1.0e-05 : (tensor<1x2x4xf16>, tensor<f16>) -> tensor<1x2x4xf16>
  %lnf = mllm.cast %lnh : tensor<1x2x4xf16> to tensor<1x2x4xf32>
  %lnfu = tensor.cast %lnf : tensor<1x2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%lnfu) : (tensor<*xf32>) -> ()

  // x / sqrt(mean(x^2) + eps) * g.
  // CHECK: [0.365148,   1.46059,   1.09545,   1.46059]
  // CHECK: [0.365148,   1.46059,   1.09545,   1.46059]
  %rms = mllm.rms_norm %x, %g axis = 1 epsilon = 1.0e-06 : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %rmsu = tensor.cast %rms : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%rmsu) : (tensor<*xf32>) -> ()
  return
}
