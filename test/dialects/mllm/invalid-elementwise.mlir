// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

// Inference errors are followed by upstream's "failed to infer returned types"
// on the same op; both are expected below.

func.func @not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+2 {{'mllm.add' op operand shapes are not broadcastable: 'tensor<2x3xf32>' and 'tensor<4x3xf32>'}}
  // expected-error @+1 {{'mllm.add' op failed to infer returned types}}
  %0 = mllm.add %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @element_type_mismatch(%a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{'mllm.mul' op operands must have the same element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{'mllm.mul' op failed to infer returned types}}
  %0 = mllm.mul %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

func.func @wrong_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'mllm.sub' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'mllm.sub' op failed to infer returned types}}
  %0 = mllm.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @dynamic_result_for_static_broadcast(%a: tensor<?x1xf32>, %b: tensor<8xf32>) {
  // A static size > 1 fixes the broadcast dimension; the result must say so.
  // expected-error @+2 {{'mllm.max' op inferred type(s) 'tensor<?x8xf32>' are incompatible with return type(s) of operation 'tensor<?x?xf32>'}}
  // expected-error @+1 {{'mllm.max' op failed to infer returned types}}
  %0 = mllm.max %a, %b : (tensor<?x1xf32>, tensor<8xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @bool_arithmetic(%a: tensor<3xi1>) {
  // expected-error @+1 {{'mllm.add' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float or 8-, 16-, 32- or 64-bit signless or unsigned integer values, but got 'tensor<3xi1>'}}
  %0 = mllm.add %a, %a : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{'mllm.div' op operand #0 must be ranked tensor}}
  %0 = mllm.div %a, %a : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @cmp_result_not_bool(%a: tensor<3xf32>) {
  // expected-error @+1 {{'mllm.cmp' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = mllm.cmp lt, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @cmp_element_type_mismatch(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+2 {{'mllm.cmp' op operands must have the same element type, got 'f32' and 'i32'}}
  // expected-error @+1 {{'mllm.cmp' op failed to infer returned types}}
  %0 = mllm.cmp eq, %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xi1>
  return
}

// -----

func.func @cmp_bad_predicate(%a: tensor<3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'predicate' [eq, ne, lt, le, gt, ge]}}
  %0 = mllm.cmp slt, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @and_on_float(%a: tensor<3xf32>) {
  // expected-error @+1 {{'mllm.and' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = mllm.and %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @select_value_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{'mllm.select' op true_value and false_value must have the same element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{'mllm.select' op failed to infer returned types}}
  %0 = mllm.select %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

func.func @select_condition_type(%c: tensor<3xi8>, %a: tensor<3xf32>) {
  // expected-error @+1 {{'mllm.select' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = mllm.select %c, %a, %a : (tensor<3xi8>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @select_not_broadcastable(%c: tensor<4xi1>, %a: tensor<3xf32>) {
  // expected-error @+2 {{'mllm.select' op operand shapes are not broadcastable: 'tensor<4xi1>' and 'tensor<3xf32>'}}
  // expected-error @+1 {{'mllm.select' op failed to infer returned types}}
  %0 = mllm.select %c, %a, %a : (tensor<4xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @unary_float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mllm.exp' op operand #0 must be ranked tensor of 16-, 32- or 64-bit float values, but got 'tensor<3xi32>'}}
  %0 = mllm.exp %a : tensor<3xi32>
  return
}

// -----

func.func @unary_type_change(%a: tensor<3xf32>) {
  // expected-error @+1 {{'mllm.tanh' op requires the same type for all operands and results}}
  %0 = "mllm.tanh"(%a) : (tensor<3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @not_on_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mllm.not' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = mllm.not %a : tensor<3xi32>
  return
}

// -----

func.func @gelu_bad_approximation(%a: tensor<3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'approximate' [none, tanh]}}
  %0 = mllm.gelu %a approximate = sigmoid : tensor<3xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<3xf32>) {
  // expected-error @+1 {{'mllm.cast' op result shape must equal the input shape, got 'tensor<3xf32>' to 'tensor<4xf16>'}}
  %0 = mllm.cast %a : tensor<3xf32> to tensor<4xf16>
  return
}
