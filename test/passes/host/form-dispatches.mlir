// RUN: mllmc-opt --mllmc-form-dispatches --split-input-file %s | FileCheck %s

// A matmul and the fill of its accumulator form one dispatch; the weight load
// stays on the host and is passed in. Dispatch inputs are read-only.
// CHECK-LABEL: func.func @linear
//  CHECK-SAME:   (%[[X:.+]]: tensor<4x8xf32>)
//   CHECK-NOT:   linalg.
//   CHECK-NOT:   tensor.empty
//       CHECK:   %[[W:.+]] = ml_program.global_load_const @w : tensor<8x16xf32>
//       CHECK:   %[[R:.+]] = call @[[D:dispatch_0_matmul_4x16x8_f32]](%[[X]], %[[W]]) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
//   CHECK-NOT:   call
//       CHECK:   return %[[R]]
//       CHECK: func.func @[[D]](%[[A:.+]]: tensor<4x8xf32> {bufferization.writable = false}, %[[B:.+]]: tensor<8x16xf32> {bufferization.writable = false}) -> tensor<4x16xf32> attributes {mllm.dispatch}
//       CHECK:   %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<4x16xf32>
//       CHECK:   %[[F:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<4x16xf32>)
//       CHECK:   %[[M:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[F]] : tensor<4x16xf32>)
//       CHECK:   return %[[M]]
//   CHECK-NOT: func.func
ml_program.global private @w(dense<1.0> : tensor<8x16xf32>) : tensor<8x16xf32>
func.func @linear(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = ml_program.global_load_const @w : tensor<8x16xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %m : tensor<4x16xf32>
}

// -----

// A fill shared by two matmuls is cloned into both dispatches and leaves the
// host program; the second matmul reads the first one's result.
// CHECK-LABEL: func.func @shared_fill
//  CHECK-SAME:   (%[[X:.+]]: tensor<4x4xf32>, %[[Y:.+]]: tensor<4x4xf32>)
//   CHECK-NOT:   linalg.fill
//       CHECK:   %[[M0:.+]] = call @[[D0:dispatch_0_matmul_4x4x4_f32]](%[[X]], %[[Y]])
//       CHECK:   %[[M1:.+]] = call @[[D1:dispatch_1_matmul_4x4x4_f32]](%[[M0]], %[[Y]])
//       CHECK:   return %[[M1]]
//       CHECK: func.func @[[D0]]
//       CHECK:   linalg.fill
//       CHECK:   linalg.matmul
//       CHECK: func.func @[[D1]]
//       CHECK:   linalg.fill
//       CHECK:   linalg.matmul
func.func @shared_fill(%x: tensor<4x4xf32>, %y: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m0 = linalg.matmul ins(%x, %y : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m1 = linalg.matmul ins(%m0, %y : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m1 : tensor<4x4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// An elementwise generic whose body captures a constant from above takes the
// constant along; the weight it reads is an input.
// CHECK-LABEL: func.func @captured_constant
//  CHECK-SAME:   (%[[X:.+]]: tensor<8xf32>)
//   CHECK-NOT:   arith.constant
//       CHECK:   %[[W:.+]] = ml_program.global_load_const @bias
//       CHECK:   %[[R:.+]] = call @[[D:dispatch_0_generic_8_f32]](%[[X]], %[[W]]) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
//       CHECK:   return %[[R]]
//       CHECK: func.func @[[D]](%[[A:.+]]: tensor<8xf32> {bufferization.writable = false}, %[[B:.+]]: tensor<8xf32> {bufferization.writable = false})
//   CHECK-DAG:   %[[HALF:.+]] = arith.constant 5.000000e-01 : f32
//   CHECK-DAG:   %[[E:.+]] = tensor.empty() : tensor<8xf32>
//       CHECK:   linalg.generic {{.+}} ins(%[[A]], %[[B]] : tensor<8xf32>, tensor<8xf32>) outs(%[[E]] : tensor<8xf32>)
//       CHECK:     arith.mulf %{{.+}}, %[[HALF]]
ml_program.global private @bias(dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>) : tensor<8xf32>
func.func @captured_constant(%x: tensor<8xf32>) -> tensor<8xf32> {
  %half = arith.constant 0.5 : f32
  %w = ml_program.global_load_const @bias : tensor<8xf32>
  %e = tensor.empty() : tensor<8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%x, %w : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.mulf %s, %half : f32
    linalg.yield %m : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// A returned argument and a returned weight get copy dispatches: every output
// has a buffer of its own, written by a dispatch.
// CHECK-LABEL: func.func @return_arg_and_weight
//  CHECK-SAME:   (%[[X:.+]]: tensor<2x3xf32>)
//       CHECK:   %[[W:.+]] = ml_program.global_load_const @w
//       CHECK:   %[[C0:.+]] = call @[[D0:dispatch_0_copy_2x3_f32]](%[[X]]) : (tensor<2x3xf32>) -> tensor<2x3xf32>
//       CHECK:   %[[C1:.+]] = call @[[D1:dispatch_1_copy_2x3_f32]](%[[W]]) : (tensor<2x3xf32>) -> tensor<2x3xf32>
//       CHECK:   return %[[C0]], %[[C1]]
//       CHECK: func.func @[[D0]](%[[A:.+]]: tensor<2x3xf32> {bufferization.writable = false}) -> tensor<2x3xf32> attributes {mllm.dispatch}
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
//       CHECK:   %[[R:.+]] = linalg.copy ins(%[[A]] : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
//       CHECK:   return %[[R]]
//       CHECK: func.func @[[D1]]({{.+}}) -> tensor<2x3xf32> attributes {mllm.dispatch}
//       CHECK:   linalg.copy
ml_program.global private @w(dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>) : tensor<2x3xf32>
func.func @return_arg_and_weight(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = ml_program.global_load_const @w : tensor<2x3xf32>
  return %x, %w : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// A value returned twice (directly and through a reshape of it) keeps its
// dispatch's buffer for the first output and gets a copy for the second.
// CHECK-LABEL: func.func @returned_twice
//       CHECK:   %[[G:.+]] = call @dispatch_0_generic
//       CHECK:   %[[R:.+]] = tensor.expand_shape %[[G]] {{\[}}[0, 1]] output_shape [2, 4] : tensor<8xf32> into tensor<2x4xf32>
//       CHECK:   %[[C:.+]] = call @[[D:dispatch_1_copy_2x4_f32]](%[[R]]) : (tensor<2x4xf32>) -> tensor<2x4xf32>
//       CHECK:   return %[[G]], %[[C]]
//       CHECK: func.func @[[D]]
//       CHECK:   linalg.copy
func.func @returned_twice(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<2x4xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8xf32>
  %r = tensor.expand_shape %g [[0, 1]] output_shape [2, 4] : tensor<8xf32> into tensor<2x4xf32>
  return %g, %r : tensor<8xf32>, tensor<2x4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// The same value in two result positions: one copy.
// CHECK-LABEL: func.func @same_value_twice
//       CHECK:   %[[G:.+]] = call @dispatch_0_generic
//       CHECK:   %[[C:.+]] = call @dispatch_1_copy_8_f32(%[[G]])
//   CHECK-NOT:   call
//       CHECK:   return %[[G]], %[[C]]
func.func @same_value_twice(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8xf32>
  return %g, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>

// Reshapes stay on the host as aliases between dispatches; a reshaped
// destination is cloned into the dispatch and folded into an empty of the
// new shape. The returned reshape of a dispatch result needs no copy.
// CHECK-LABEL: func.func @reshapes
//  CHECK-SAME:   (%[[X:.+]]: tensor<2x4xf32>)
//       CHECK:   %[[C:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
//       CHECK:   %[[G:.+]] = call @[[D:dispatch_0_generic_8_f32]](%[[C]]) : (tensor<8xf32>) -> tensor<8xf32>
//       CHECK:   %[[E:.+]] = tensor.expand_shape %[[G]] {{\[}}[0, 1]] output_shape [4, 2] : tensor<8xf32> into tensor<4x2xf32>
//   CHECK-NOT:   call
//       CHECK:   return %[[E]]
//       CHECK: func.func @[[D]](%{{.+}}: tensor<8xf32> {bufferization.writable = false}) -> tensor<8xf32>
//   CHECK-NOT:   tensor.collapse_shape
//       CHECK:   %[[OUT:.+]] = tensor.empty() : tensor<8xf32>
//   CHECK-NOT:   tensor.collapse_shape
//       CHECK:   linalg.generic {{.+}} outs(%[[OUT]] : tensor<8xf32>)
#id = affine_map<(d0) -> (d0)>
func.func @reshapes(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %ec = tensor.collapse_shape %e [[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%c : tensor<8xf32>) outs(%ec : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8xf32>
  %r = tensor.expand_shape %g [[0, 1]] output_shape [4, 2] : tensor<8xf32> into tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// A fill the host program returns is a dispatch of its own; dispatch
// functions already formed are left alone.
// CHECK-LABEL: func.func @returned_fill
//       CHECK:   %[[F:.+]] = call @[[D:dispatch_0_fill_4_f32]]() : () -> tensor<4xf32>
//       CHECK:   return %[[F]]
//       CHECK: func.func @existing(%{{.+}}: tensor<4xf32>) -> tensor<4xf32> attributes {mllm.dispatch}
//  CHECK-NEXT:   tensor.empty
//  CHECK-NEXT:   linalg.copy
//       CHECK: func.func @[[D]]() -> tensor<4xf32> attributes {mllm.dispatch}
//       CHECK:   linalg.fill
func.func @returned_fill() -> tensor<4xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %f : tensor<4xf32>
}
func.func @existing(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mllm.dispatch} {
  %e = tensor.empty() : tensor<4xf32>
  %c = linalg.copy ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// A fill reshaped before it reaches its consumer travels with it too: the
// dispatch initializes a destination of the consumer's shape, and the host
// keeps no fill.
// CHECK-LABEL: func.func @reshaped_fill
//  CHECK-SAME:   (%[[X:.+]]: tensor<4x8xf32>, %[[W:.+]]: tensor<8x16xf32>)
//  CHECK-NEXT:   %[[M:.+]] = call @[[D:dispatch_0_matmul_4x16x8_f32]](%[[X]], %[[W]]) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
//  CHECK-NEXT:   %[[R:.+]] = tensor.expand_shape %[[M]]
//  CHECK-NEXT:   return %[[R]]
//       CHECK: func.func @[[D]]
//   CHECK-NOT:   tensor.expand_shape
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<4x16xf32>
//       CHECK:   %[[F:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<4x16xf32>)
//       CHECK:   linalg.matmul {{.+}} outs(%[[F]] : tensor<4x16xf32>)
//   CHECK-NOT: func.func
func.func @reshaped_fill(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> tensor<2x2x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %fe = tensor.expand_shape %f [[0, 1]] output_shape [4, 16] : tensor<64xf32> into tensor<4x16xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%fe : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = tensor.expand_shape %m [[0, 1], [2]] output_shape [2, 2, 16] : tensor<4x16xf32> into tensor<2x2x16xf32>
  return %r : tensor<2x2x16xf32>
}

// -----

// A fill that is both returned and a matmul's accumulator: the matmul still
// initializes its own accumulator (no read-only input to write into), and
// the returned fill gets a dispatch of its own.
// CHECK-LABEL: func.func @fill_returned_and_used
//  CHECK-SAME:   (%[[X:.+]]: tensor<4x4xf32>)
//   CHECK-DAG:   %[[F:.+]] = call @[[DF:dispatch_[0-9]+_fill_4x4_f32]]() : () -> tensor<4x4xf32>
//   CHECK-DAG:   %[[M:.+]] = call @[[DM:dispatch_[0-9]+_matmul_4x4x4_f32]](%[[X]]) : (tensor<4x4xf32>) -> tensor<4x4xf32>
//       CHECK:   return %[[F]], %[[M]]
//   CHECK-DAG: func.func @[[DM]](%{{.+}}: tensor<4x4xf32> {bufferization.writable = false}) -> tensor<4x4xf32>
//   CHECK-DAG: func.func @[[DF]]() -> tensor<4x4xf32>
func.func @fill_returned_and_used(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = linalg.matmul ins(%x, %x : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %f, %m : tensor<4x4xf32>, tensor<4x4xf32>
}


// -----

#mn = affine_map<(d0, d1) -> (d0, d1)>
#n = affine_map<(d0, d1) -> (d1)>

// A matmul and the elementwise op that is the only user of its result (bias +
// GELU) form one dispatch: the generic updates the matmul's result in place
// (its init), so a target can apply it to the accumulators before the store.
// CHECK-LABEL: func.func @matmul_bias_gelu
//  CHECK-SAME:   (%[[X:.+]]: tensor<4x8xf32>, %[[W:.+]]: tensor<8x16xf32>, %[[BIAS:.+]]: tensor<16xf32>)
//       CHECK:   %[[R:.+]] = call @[[D:dispatch_0_matmul_4x16x8_f32]](%[[X]], %[[W]], %[[BIAS]])
//   CHECK-NOT:   call
//       CHECK:   return %[[R]]
//       CHECK: func.func @[[D]](%[[A:.+]]: tensor<4x8xf32> {{.*}}, %[[B:.+]]: tensor<8x16xf32> {{.*}}, %[[C:.+]]: tensor<16xf32> {{.*}})
//       CHECK:   %[[F:.+]] = linalg.fill
//       CHECK:   %[[M:.+]] = linalg.matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[F]] : tensor<4x16xf32>)
//       CHECK:   %[[G:.+]] = linalg.generic {indexing_maps = [#[[N:.+]], #[[MN:.+]]], iterator_types = ["parallel", "parallel"]} ins(%[[C]] : tensor<16xf32>) outs(%[[M]] : tensor<4x16xf32>)
//  CHECK-NEXT:   ^bb0(%[[IN:.+]]: f32, %[[OUT:.+]]: f32):
//  CHECK-NEXT:     %[[S:.+]] = arith.addf %[[OUT]], %[[IN]]
//  CHECK-NEXT:     math.erf %[[S]]
//       CHECK:   return %[[G]]
//   CHECK-NOT: func.func
func.func @matmul_bias_gelu(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %bias: tensor<16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %e2 = tensor.empty() : tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#mn, #n, #mn], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<4x16xf32>, tensor<16xf32>) outs(%e2 : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %g = math.erf %s : f32
    linalg.yield %g : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

#bmn = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// A batch matmul with a residual of the same shape: one dispatch.
// CHECK-LABEL: func.func @batch_matmul_residual
//       CHECK:   call @[[D:dispatch_0_batch_matmul_2x4x16x8_f32]]
//   CHECK-NOT:   call
//       CHECK: func.func @[[D]]
//       CHECK:   %[[M:.+]] = linalg.batch_matmul
//       CHECK:   linalg.generic {{.*}} outs(%[[M]] : tensor<2x4x16xf32>)
func.func @batch_matmul_residual(%x: tensor<2x4x8xf32>, %w: tensor<2x8x16xf32>, %res: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  %m = linalg.batch_matmul ins(%x, %w : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%f : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  %r = linalg.generic {indexing_maps = [#bmn, #bmn, #bmn], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%res, %m : tensor<2x4x16xf32>, tensor<2x4x16xf32>) outs(%e : tensor<2x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<2x4x16xf32>
  return %r : tensor<2x4x16xf32>
}

// -----

#mn = affine_map<(d0, d1) -> (d0, d1)>
#nm = affine_map<(d0, d1) -> (d1, d0)>

// Near miss: the consumer reads the matmul's result transposed, so it is not
// an epilogue: two dispatches.
// CHECK-LABEL: func.func @transposed_consumer
//       CHECK:   %[[M:.+]] = call @dispatch_0_matmul
//       CHECK:   call @dispatch_1_generic_8x8_f32(%[[M]])
func.func @transposed_consumer(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<8x8xf32>
  %r = linalg.generic {indexing_maps = [#nm, #mn], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<8x8xf32>) outs(%e2 : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %g = math.tanh %a : f32
    linalg.yield %g : f32
  } -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// -----

#mn = affine_map<(d0, d1) -> (d0, d1)>

// Near miss: the matmul's result has a second user (it is also returned),
// so it needs a buffer of its own: two dispatches.
// CHECK-LABEL: func.func @two_users
//       CHECK:   %[[M:.+]] = call @dispatch_0_matmul
//       CHECK:   %[[G:.+]] = call @dispatch_1_generic_8x8_f32(%[[M]])
//       CHECK:   return %[[M]], %[[G]]
func.func @two_users(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<8x8xf32>
  %r = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<8x8xf32>) outs(%e2 : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %g = math.tanh %a : f32
    linalg.yield %g : f32
  } -> tensor<8x8xf32>
  return %m, %r : tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

#mn = affine_map<(d0, d1) -> (d0, d1)>
#m = affine_map<(d0, d1) -> (d0)>

// Near misses: a consumer that reduces (a row sum), and one whose output has
// another type (a cast to f16), stay dispatches of their own.
// CHECK-LABEL: func.func @reduction_and_cast
//       CHECK:   %[[M:.+]] = call @dispatch_0_matmul
//       CHECK:   call @dispatch_1_generic_8x8_f32(%[[M]])
//       CHECK:   %[[M2:.+]] = call @dispatch_2_matmul
//       CHECK:   call @dispatch_3_generic_8x8_f16(%[[M2]])
func.func @reduction_and_cast(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> (tensor<8xf32>, tensor<8x8xf16>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %e8 = tensor.empty() : tensor<8xf32>
  %f8 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<8xf32>) -> tensor<8xf32>
  %sum = linalg.generic {indexing_maps = [#mn, #m], iterator_types = ["parallel", "reduction"]}
      ins(%m : tensor<8x8xf32>) outs(%f8 : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %m2 = linalg.matmul ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %eh = tensor.empty() : tensor<8x8xf16>
  %h = linalg.generic {indexing_maps = [#mn, #mn], iterator_types = ["parallel", "parallel"]}
      ins(%m2 : tensor<8x8xf32>) outs(%eh : tensor<8x8xf16>) {
  ^bb0(%a: f32, %o: f16):
    %t = arith.truncf %a : f32 to f16
    linalg.yield %t : f16
  } -> tensor<8x8xf16>
  return %sum, %h : tensor<8xf32>, tensor<8x8xf16>
}
