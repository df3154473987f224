// RUN: mllmc-opt %s --split-input-file --verify-diagnostics

// Inference errors are followed by upstream's "failed to infer returned types"
// on the same op; both are expected below.

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mllm.reshape' op cannot reshape 6 elements ('tensor<2x3xf32>') into 8 ('tensor<2x4xf32>')}}
  %0 = mllm.reshape %x : tensor<2x3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mllm.reshape' op element types must be equal, got 'f32' and 'f16'}}
  %0 = mllm.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

func.func @transpose_length(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'mllm.transpose' op permutation has 2 entries but the input has rank 3}}
  // expected-error @+1 {{'mllm.transpose' op failed to infer returned types}}
  %0 = mllm.transpose %x permutation = [1, 0] : tensor<2x3x4xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mllm.transpose' op permutation must be a permutation of [0, 2), got [1, 1]}}
  // expected-error @+1 {{'mllm.transpose' op failed to infer returned types}}
  %0 = mllm.transpose %x permutation = [1, 1] : tensor<2x3xf32> -> tensor<3x3xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mllm.transpose' op permutation must be a permutation of [0, 2), got [0, -1]}}
  // expected-error @+1 {{'mllm.transpose' op failed to infer returned types}}
  %0 = mllm.transpose %x permutation = [0, -1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mllm.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'mllm.transpose' op failed to infer returned types}}
  %0 = mllm.transpose %x permutation = [1, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mllm.concat' op axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{'mllm.concat' op failed to infer returned types}}
  %0 = mllm.concat %x, %x axis = 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mllm.concat' op axis -1 is out of range [0, 2)}}
  // expected-error @+1 {{'mllm.concat' op failed to infer returned types}}
  %0 = mllm.concat %x, %x axis = -1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_rank(%x: tensor<2x3xf32>, %y: tensor<3xf32>) {
  // expected-error @+2 {{'mllm.concat' op inputs must have the same rank, got 2 and 1 (input #1)}}
  // expected-error @+1 {{'mllm.concat' op failed to infer returned types}}
  %0 = mllm.concat %x, %y axis = 0 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_element_type(%x: tensor<2x3xf32>, %y: tensor<2x3xi32>) {
  // expected-error @+2 {{'mllm.concat' op inputs must have the same element type, got 'f32' and 'i32' (input #1)}}
  // expected-error @+1 {{'mllm.concat' op failed to infer returned types}}
  %0 = mllm.concat %x, %y axis = 0 : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_other_dim(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) {
  // expected-error @+2 {{'mllm.concat' op inputs differ in non-concatenated dimension 1: 3 and 4 (input #1)}}
  // expected-error @+1 {{'mllm.concat' op failed to infer returned types}}
  %0 = mllm.concat %x, %y axis = 0 : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{'mllm.concat' op needs at least one input}}
  // expected-error @+1 {{'mllm.concat' op failed to infer returned types}}
  %0 = "mllm.concat"() <{axis = 0 : i64}> : () -> tensor<1xf32>
  return
}

// -----

func.func @slice_entries(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.slice' op starts, ends and steps need one entry per dimension (2), got 2, 2 and 1}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [0, 0] ends = [4, 8] steps = [1] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.slice' op step of dimension 1 must not be 0}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [0, 0] ends = [4, 8] steps = [1, 0] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_positive_step_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.slice' op dimension 1: start 0 and end 9 must lie in [0, 8] for a positive step}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [0, 0] ends = [4, 9] steps = [1, 1] : tensor<4x8xf32> -> tensor<4x9xf32>
  return
}

// -----

func.func @slice_negative_start(%x: tensor<?x8xf32>) {
  // Negative indices counting from the end are resolved by the importer.
  // expected-error @+2 {{'mllm.slice' op dimension 0: start -1 and end 2 must be non-negative for a positive step}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [-1, 0] ends = [2, 8] steps = [1, 1] : tensor<?x8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @slice_negative_step_end(%x: tensor<?x8xf32>) {
  // expected-error @+2 {{'mllm.slice' op dimension 0: start 3 must be non-negative and end -2 at least -1 for a negative step}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [3, 0] ends = [-2, 8] steps = [-1, 1] : tensor<?x8xf32> -> tensor<?x8xf32>
  return
}

// -----

func.func @slice_negative_step_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.slice' op dimension 0: start 4 must lie in [0, 3] and end -1 in [-1, 3] for a negative step}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [4, 0] ends = [-1, 8] steps = [-1, 1] : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_result(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'mllm.slice' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error @+1 {{'mllm.slice' op failed to infer returned types}}
  %0 = mllm.slice %x starts = [0, 2] ends = [4, 8] steps = [1, 2] : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<4x8xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'mllm.gather' op axis 2 is out of range [0, 2)}}
  // expected-error @+1 {{'mllm.gather' op failed to infer returned types}}
  %0 = mllm.gather %x[%i] axis = 2 : (tensor<4x8xf32>, tensor<3xi64>) -> tensor<4x8xf32>
  return
}

// -----

func.func @gather_index_type(%x: tensor<4x8xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'mllm.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = mllm.gather %x[%i] axis = 0 : (tensor<4x8xf32>, tensor<3xf32>) -> tensor<3x8xf32>
  return
}

// -----

func.func @constant_type() {
  // expected-error @+2 {{'mllm.constant' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<2x2xf32>'}}
  // expected-error @+1 {{'mllm.constant' op failed to infer returned types}}
  %0 = "mllm.constant"() <{value = dense<1.0> : tensor<4xf32>}> : () -> tensor<2x2xf32>
  return
}
