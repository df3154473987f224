// RUN: not mllmc-opt --convert-mllm-to-linalg --split-input-file %s 2>&1 | FileCheck %s

// The ceil-mode overhang is known only for a static length; the error names
// the op's location (the ONNX node).
// CHECK: error: loc("/audio/pool/MaxPool"): 'mllm.pool' op cannot be lowered to linalg: ceil_mode needs static spatial sizes
func.func @ceil_dynamic(%x: tensor<1x2x?xf32>) -> tensor<1x2x?xf32> {
  %0 = mllm.pool max %x kernel = [3] strides = [2] dilations = [1] pads = [0, 0] {ceil_mode} : tensor<1x2x?xf32> -> tensor<1x2x?xf32> loc("/audio/pool/MaxPool")
  return %0 : tensor<1x2x?xf32>
}

// -----

// CHECK: error: loc("/decoder/up/ConvTranspose"): 'mllm.conv_transpose' op cannot be lowered to linalg: a transposed convolution needs static input and weight shapes
func.func @conv_transpose_dynamic(%x: tensor<?x2x8xf32>, %w: tensor<2x2x3xf32>) -> tensor<?x2x10xf32> {
  %0 = mllm.conv_transpose %x, %w strides = [1] dilations = [1] pads = [0, 0] output_padding = [0] : (tensor<?x2x8xf32>, tensor<2x2x3xf32>) -> tensor<?x2x10xf32> loc("/decoder/up/ConvTranspose")
  return %0 : tensor<?x2x10xf32>
}
