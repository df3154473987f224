// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

// Bitwise ops and shifts take integers only; trigonometric ops floats only.

func.func @float_bitwise(%a: tensor<4xf32>) {
  // expected-error @+1 {{'mllm.bitwise_and' op operand #0 must be ranked tensor of 8-, 16-, 32- or 64-bit signless or unsigned integer values}}
  %0 = mllm.bitwise_and %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @bool_shift(%a: tensor<4xi1>) {
  // expected-error @+1 {{'mllm.shift_left' op operand #0 must be ranked tensor of 8-, 16-, 32- or 64-bit signless or unsigned integer values}}
  %0 = mllm.shift_left %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return
}

// -----

func.func @mixed_shift(%a: tensor<4xui8>, %b: tensor<4xi8>) {
  // expected-error @+2 {{'mllm.shift_right' op operands must have the same element type, got 'ui8' and 'i8'}}
  // expected-error @+1 {{'mllm.shift_right' op failed to infer returned types}}
  %0 = mllm.shift_right %a, %b : (tensor<4xui8>, tensor<4xi8>) -> tensor<4xui8>
  return
}

// -----

func.func @integer_sinh(%a: tensor<4xi32>) {
  // expected-error @+1 {{'mllm.sinh' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float values}}
  %0 = mllm.sinh %a : tensor<4xi32>
  return
}
