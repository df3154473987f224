// RUN: not mllmc-opt --convert-mllm-to-linalg --split-input-file %s 2>&1 | FileCheck %s

// What the pass cannot lower is reported once, at the op's location, which
// names the ONNX node.

// CHECK: error: loc("/model/layers.0/Pow"): 'mllm.pow' op cannot be lowered to linalg: integer pow is not supported
// CHECK-NOT: failed to legalize
func.func @int_pow(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %r = mllm.pow %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32> loc("/model/layers.0/Pow")
  return %r : tensor<4xi32>
}

// -----

// The target sizes of several dynamic dims are unknown at compile time.
// CHECK: error: loc("/model/Reshape_3"): 'mllm.reshape' op cannot be lowered to linalg: a reshape to several dynamic dimensions that do not group with the input's dimensions is not supported
// CHECK-NOT: failed to legalize
func.func @dynamic_regroup(%x: tensor<?x?xf32>) -> tensor<?x?x?xf32> {
  %r = mllm.reshape %x : tensor<?x?xf32> -> tensor<?x?x?xf32> loc("/model/Reshape_3")
  return %r : tensor<?x?x?xf32>
}
