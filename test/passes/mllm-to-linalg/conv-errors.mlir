// RUN: not mllmc-opt --convert-mllm-to-linalg %s 2>&1 | FileCheck %s

// A grouped convolution cannot split a dynamic channel count into groups;
// the error names the op's location (the ONNX node) once.
// CHECK: error: loc("/encoder/conv1/Conv"): 'mllm.conv' op cannot be lowered to linalg: a grouped convolution needs static channel counts
// CHECK-NOT: failed to legalize
func.func @grouped_dynamic_channels(%x: tensor<1x?x8xf32>, %w: tensor<4x2x2xf32>) -> tensor<1x4x7xf32> {
  %0 = mllm.conv %x, %w strides = [1] dilations = [1] pads = [0, 0] group = 2 : (tensor<1x?x8xf32>, tensor<4x2x2xf32>) -> tensor<1x4x7xf32> loc("/encoder/conv1/Conv")
  return %0 : tensor<1x4x7xf32>
}
