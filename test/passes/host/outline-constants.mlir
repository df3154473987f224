// RUN: mllmc-opt --mllmc-outline-constants --split-input-file %s | FileCheck %s

// A non-splat constant becomes a private weight named after its ONNX
// initializer, with the characters a bare symbol cannot hold replaced.
// CHECK-LABEL: module
//       CHECK: ml_program.global private @onnx__MatMul_13(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>) : tensor<4xf32>
//   CHECK-NOT: ml_program.global
//       CHECK: func.func @weight
//       CHECK:   %[[W:.+]] = ml_program.global_load_const @onnx__MatMul_13 : tensor<4xf32>
//   CHECK-NOT:   arith.constant
//       CHECK:   return %[[W]] : tensor<4xf32>
func.func @weight() -> tensor<4xf32> {
  %0 = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32> loc("onnx::MatMul_13")
  return %0 : tensor<4xf32>
}

// -----

// Dots and underscores are kept; a name inside a fused location is found.
// CHECK-LABEL: module
//       CHECK: ml_program.global private @model.layers.0.mlp.up_proj.weight(dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi32>)
//       CHECK: ml_program.global_load_const @model.layers.0.mlp.up_proj.weight : tensor<2x2xi32>
func.func @fused() -> tensor<2x2xi32> {
  %0 = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> loc(fused["model.onnx":3:4, "model.layers.0.mlp.up_proj.weight"])
  return %0 : tensor<2x2xi32>
}

// -----

// Splats stay constants (kernels fold them), and so do scalars.
// CHECK-LABEL: func.func @splat
//   CHECK-NOT: ml_program
//       CHECK: arith.constant dense<1.000000e+00> : tensor<2x3xf32>
//       CHECK: arith.constant 2.000000e+00 : f32
//   CHECK-NOT: ml_program
func.func @splat() -> (tensor<2x3xf32>, f32) {
  %0 = arith.constant dense<1.0> : tensor<2x3xf32> loc("ones")
  %1 = arith.constant 2.0 : f32 loc("two")
  return %0, %1 : tensor<2x3xf32>, f32
}

// -----

// Two initializers whose names sanitize to the same symbol, and a constant
// that collides with an existing function, get unique names; a constant
// without a name is called "constant".
// CHECK-LABEL: module
//   CHECK-DAG: ml_program.global private @[[A:w_x]](dense<[1, 2]> : tensor<2xi64>)
//   CHECK-DAG: ml_program.global private @[[B:w_x_[0-9]+]](dense<[3, 4]> : tensor<2xi64>)
//   CHECK-DAG: ml_program.global private @[[C:f_[0-9]+]](dense<[5, 6]> : tensor<2xi64>)
//   CHECK-DAG: ml_program.global private @[[D:constant]](dense<[7, 8]> : tensor<2xi64>)
//       CHECK: func.func @f()
//   CHECK-DAG:   ml_program.global_load_const @[[A]] : tensor<2xi64>
//   CHECK-DAG:   ml_program.global_load_const @[[B]] : tensor<2xi64>
//   CHECK-DAG:   ml_program.global_load_const @[[C]] : tensor<2xi64>
//   CHECK-DAG:   ml_program.global_load_const @[[D]] : tensor<2xi64>
func.func @f() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) {
  %0 = arith.constant dense<[1, 2]> : tensor<2xi64> loc("w:x")
  %1 = arith.constant dense<[3, 4]> : tensor<2xi64> loc("w/x")
  %2 = arith.constant dense<[5, 6]> : tensor<2xi64> loc("f")
  %3 = arith.constant dense<[7, 8]> : tensor<2xi64> loc(unknown)
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>
}

// -----

// A constant used in several places becomes one weight, loaded once.
// CHECK-LABEL: module
//  CHECK-COUNT-1: ml_program.global private
//   CHECK-NOT: ml_program.global private
//       CHECK: %[[W:.+]] = ml_program.global_load_const @bias
//   CHECK-NOT: ml_program.global_load_const
//       CHECK: arith.addf %[[W]], %[[W]]
func.func @reused() -> tensor<2xf32> {
  %0 = arith.constant dense<[1.0, 2.0]> : tensor<2xf32> loc("bias")
  %1 = arith.addf %0, %0 : tensor<2xf32>
  return %1 : tensor<2xf32>
}

// -----

// Names become bare identifiers: a name that starts with a digit gets a
// leading '_' (exporters name initializers "123"), and an empty name is
// skipped for the next one in the location, or for "constant".
// CHECK-LABEL: module
//   CHECK-DAG: ml_program.global private @_123(dense<[1, 2]> : tensor<2xi64>)
//   CHECK-DAG: ml_program.global private @_onnx__Add_7(dense<[3, 4]> : tensor<2xi64>)
//   CHECK-DAG: ml_program.global private @inner(dense<[5, 6]> : tensor<2xi64>)
//   CHECK-DAG: ml_program.global private @constant(dense<[7, 8]> : tensor<2xi64>)
func.func @bare() -> (tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) {
  %0 = arith.constant dense<[1, 2]> : tensor<2xi64> loc("123")
  %1 = arith.constant dense<[3, 4]> : tensor<2xi64> loc("/onnx::Add_7")
  %2 = arith.constant dense<[5, 6]> : tensor<2xi64> loc(""("inner"))
  %3 = arith.constant dense<[7, 8]> : tensor<2xi64> loc("")
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>
}
