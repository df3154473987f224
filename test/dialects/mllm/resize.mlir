// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of mllm.resize: the defaults (half_pixel, round_prefer_floor,
// cubic_coeff_a = -0.75, no roi) are not printed; the result type is
// inferred from axes and sizes.

// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<?x3x336x336xf32>, %i: tensor<1x4x4xui8>) {
  // CHECK: mllm.resize %{{.*}} cubic axes = [2, 3] sizes = [224, 224] scales = [0.66666666666666663, 0.66666666666666663] : tensor<?x3x336x336xf32> -> tensor<?x3x224x224xf32>
  %0 = mllm.resize %x cubic axes = [2, 3] sizes = [224, 224] scales = [0.66666666666666663, 0.66666666666666663] : tensor<?x3x336x336xf32> -> tensor<?x3x224x224xf32>
  // CHECK: mllm.resize %{{.*}} cubic axes = [3, 2] sizes = [100, 50] scales = [2.976190e-01, 0.14880950000000001] {antialias, cubic_coeff_a = -5.000000e-01 : f64, exclude_outside} : tensor<?x3x336x336xf32> -> tensor<?x3x50x100xf32>
  %1 = mllm.resize %x cubic axes = [3, 2] sizes = [100, 50] scales = [0.297619, 0.1488095] {antialias, cubic_coeff_a = -0.5 : f64, exclude_outside} : tensor<?x3x336x336xf32> -> tensor<?x3x50x100xf32>
  // CHECK: mllm.resize %{{.*}} nearest axes = [1] sizes = [9] scales = [2.250000e+00] coordinates = asymmetric nearest = ceil : tensor<1x4x4xui8> -> tensor<1x9x4xui8>
  %2 = mllm.resize %i nearest axes = [1] sizes = [9] scales = [2.25] coordinates = asymmetric nearest = ceil : tensor<1x4x4xui8> -> tensor<1x9x4xui8>
  // CHECK: mllm.resize %{{.*}} linear axes = [2] sizes = [5] scales = [1.250000e+00] coordinates = tf_crop_and_resize roi = [1.000000e-01, 9.000000e-01] {extrapolation_value = 1.000000e+00 : f64} : tensor<?x3x336x336xf32> -> tensor<?x3x5x336xf32>
  %3 = mllm.resize %x linear axes = [2] sizes = [5] scales = [1.25] coordinates = tf_crop_and_resize roi = [0.1, 0.9] {extrapolation_value = 1.0 : f64} : tensor<?x3x336x336xf32> -> tensor<?x3x5x336xf32>
  return
}
