// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// A Split/Slice with an empty part at the end of a dimension (the ONNX
// RotaryEmbedding function body splits off `head_size - rotary_dim = 0`
// elements) and its Concat back: the empty slice starts at 0, since
// tensor.extract_slice wants offsets inside the dimension, and concat drops
// the empty operand.

// CHECK-LABEL: func.func @empty_tail
//       CHECK: %[[E:.+]] = tensor.extract_slice %arg0[0, 0] [2, 0] [1, 1] : tensor<2x8xf32> to tensor<2x0xf32>
//   CHECK-NOT: tensor.concat
//       CHECK: return %[[E]], %arg1 : tensor<2x0xf32>, tensor<2x8xf32>
func.func @empty_tail(%x: tensor<2x8xf32>, %y: tensor<2x8xf32>) -> (tensor<2x0xf32>, tensor<2x8xf32>) {
  %e = mllm.slice %x starts = [0, 8] ends = [2, 8] steps = [1, 1] : tensor<2x8xf32> -> tensor<2x0xf32>
  %c = mllm.concat %y, %e axis = 1 : (tensor<2x8xf32>, tensor<2x0xf32>) -> tensor<2x8xf32>
  return %e, %c : tensor<2x0xf32>, tensor<2x8xf32>
}

// -----

// The other operands still concatenate.
// CHECK-LABEL: func.func @empty_middle
//       CHECK: tensor.concat dim(0) %{{.+}}, %{{.+}} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
func.func @empty_middle(%a: tensor<2x4xf32>, %e: tensor<0x4xf32>, %b: tensor<3x4xf32>) -> tensor<5x4xf32> {
  %c = mllm.concat %a, %e, %b axis = 0 : (tensor<2x4xf32>, tensor<0x4xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  return %c : tensor<5x4xf32>
}
