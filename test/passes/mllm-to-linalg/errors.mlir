// RUN: not mllmc-opt --convert-mllm-to-linalg --split-input-file %s 2>&1 | FileCheck %s

// What the pass cannot lower is reported once, at the op's location, which
// names the ONNX node.

// The target sizes of several dynamic dims are unknown at compile time.
// CHECK: error: loc("/model/Reshape_3"): 'mllm.reshape' op cannot be lowered to linalg: a reshape to several dynamic dimensions that do not group with the input's dimensions is not supported
// CHECK-NOT: failed to legalize
func.func @dynamic_regroup(%x: tensor<?x?xf32>) -> tensor<?x?x?xf32> {
  %r = mllm.reshape %x : tensor<?x?xf32> -> tensor<?x?x?xf32> loc("/model/Reshape_3")
  return %r : tensor<?x?x?xf32>
}
