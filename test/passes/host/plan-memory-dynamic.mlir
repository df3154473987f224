// RUN: mllmc-opt --mllmc-plan-memory --split-input-file --verify-diagnostics %s | FileCheck %s

// Two inputs name their first dim "batch": one symbol, s0. Every buffer takes
// batch * 8 floats rounded up to 64 bytes. Each buffer lies above the
// earlier ones it is live with: %1 is not live with %x (read only by the
// first call), so it does not lie above it.
//       CHECK: #[[SIZE:.+]] = affine_map<()[s0] -> (((s0 * 32) ceildiv 64) * 64)>
// CHECK-LABEL: func.func @chain
//  CHECK-SAME:   (%{{.+}}: tensor<?x8xf32> {mllm.arena_buffer = 0 : i64, {{.*}}}, %{{.+}}: tensor<?x8xf32> {mllm.arena_buffer = 1 : i64, {{.*}}})
//  CHECK-SAME:   mllm.arena_plan = [{above = array<i64>, size = #[[SIZE]]}, {above = array<i64: 0>, size = #[[SIZE]]}, {above = array<i64: 0, 1>, size = #[[SIZE]]}, {above = array<i64: 1, 2>, size = #[[SIZE]]}]
//  CHECK-SAME:   mllm.symbols = ["batch"]
//       CHECK:   call @add({{.+}}) {mllm.arena_buffers = array<i64: 2>}
//       CHECK:   call @add({{.+}}) {mllm.arena_buffers = array<i64: 3>}
func.func @chain(%x: tensor<?x8xf32> {mllm.dim_names = ["batch", ""], mllm.name = "x"},
                 %y: tensor<?x8xf32> {mllm.dim_names = ["batch", ""], mllm.name = "y"}) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %0 = call @add(%x, %y, %n) : (tensor<?x8xf32>, tensor<?x8xf32>, index) -> tensor<?x8xf32>
  %1 = call @add(%0, %y, %n) : (tensor<?x8xf32>, tensor<?x8xf32>, index) -> tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}
func.func @add(%a: tensor<?x8xf32>, %b: tensor<?x8xf32>, %n: index) -> tensor<?x8xf32> attributes {mllm.dispatch} {
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %r = linalg.add ins(%a, %b : tensor<?x8xf32>, tensor<?x8xf32>) outs(%e : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// Unnamed dims are symbols of their own, named after the input. A dispatch
// result takes its dims from its destination, through index arithmetic on
// the host: here (rows * cols) floordiv 2 pairs of f32. At the dim-hint (64
// for every symbol) the input is the larger buffer, so it is placed first.
//       CHECK: #[[INPUT:.+]] = affine_map<()[s0, s1] -> ((((s0 * s1) * 4) ceildiv 64) * 64)>
//       CHECK: #[[PAIRS:.+]] = affine_map<()[s0, s1] -> (((((s0 * s1) floordiv 2) * 8) ceildiv 64) * 64)>
// CHECK-LABEL: func.func @derived
//  CHECK-SAME:   mllm.arena_plan = [{above = array<i64>, size = #[[INPUT]]}, {above = array<i64: 0>, size = #[[PAIRS]]}]
//  CHECK-SAME:   mllm.symbols = ["m.0", "m.1"]
func.func @derived(%m: tensor<?x?xf32> {mllm.name = "m"}) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %rows = tensor.dim %m, %c0 : tensor<?x?xf32>
  %cols = tensor.dim %m, %c1 : tensor<?x?xf32>
  %all = arith.muli %rows, %cols : index
  %pairs = arith.divui %all, %c2 : index
  %0 = call @pair(%m, %pairs) : (tensor<?x?xf32>, index) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}
func.func @pair(%a: tensor<?x?xf32>, %n: index) -> tensor<?x2xf32> attributes {mllm.dispatch} {
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %f : tensor<?x2xf32>
}

// -----

// A dispatch result's size is found in its callee; an external one has none.
func.func @external(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @below {{cannot see into the callee of this call}}
  %0 = call @dyn(%a) : (tensor<?xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func private @dyn(tensor<?xf32>) -> tensor<?xf32> attributes {mllm.dispatch}

// -----

// A static input with a dynamic dispatch result: no symbol can give its size.
func.func @dynamic_result(%a: tensor<4xf32>) -> tensor<?xf32> {
  // expected-error @below {{memory planning needs static shapes or shapes derived from the input shapes, got 'tensor<?xf32>'}}
  %0 = call @dyn(%a) : (tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func private @dyn(tensor<4xf32>) -> tensor<?xf32> attributes {mllm.dispatch}

// -----

// A size computed from data (a value read from a tensor) is not a size the
// runtime can evaluate.
func.func @data_dependent(%a: tensor<?xi64> {mllm.name = "a"}) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %a[%c0] : tensor<?xi64>
  // expected-error @below {{this index value is needed at run time, but it is not computed from the input shapes by arithmetic the runtime evaluates}}
  %n = arith.index_cast %v : i64 to index
  %0 = call @make(%n) : (index) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @make(%n: index) -> tensor<?xf32> attributes {mllm.dispatch} {
  %e = tensor.empty(%n) : tensor<?xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %f : tensor<?xf32>
}

// -----

// Shape arithmetic of stage B: a flattened input expanded back at a size
// computed on the host ((rows * cols) floordiv 8 rows of 8), a loop whose
// result keeps its init's dims (a scan), and the clamps of a slice bound
// that one side decides at every size (min(cols, 0) = 0, max(cols - 0, 0)).
//       CHECK: #[[BYTES:.+]] = affine_map<()[s0, s1] -> ((((s0 * s1) * 4) ceildiv 64) * 64)>
//       CHECK: #[[ROWS:.+]] = affine_map<()[s0, s1] -> (((((s0 * s1) floordiv 8) * 32) ceildiv 64) * 64)>
//       CHECK: #[[COLS:.+]] = affine_map<()[s0, s1] -> (((s1 * 4) ceildiv 64) * 64)>
// CHECK-LABEL: func.func @shape_arithmetic
//  CHECK-SAME:   mllm.arena_plan = [{above = array<i64>, size = #[[BYTES]]}, {above = array<i64: 0>, size = #[[ROWS]]}, {above = array<i64: 1>, size = #[[COLS]]}]
func.func @shape_arithmetic(%m: tensor<?x?xf32> {mllm.dim_names = ["rows", "cols"], mllm.name = "m"}) -> (tensor<?x8xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %flat = tensor.collapse_shape %m [[0, 1]] : tensor<?x?xf32> into tensor<?xf32>
  %all = tensor.dim %flat, %c0 : tensor<?xf32>
  %rows = arith.divsi %all, %c8 : index
  %groups = tensor.expand_shape %flat [[0, 1]] output_shape [%rows, 8] : tensor<?xf32> into tensor<?x8xf32>
  %0 = call @scan(%groups, %rows) : (tensor<?x8xf32>, index) -> tensor<?x8xf32>
  %cols = tensor.dim %m, %c1 : tensor<?x?xf32>
  %start = arith.minsi %cols, %c0 : index
  %left = arith.subi %cols, %start : index
  %size = arith.maxsi %left, %c0 : index
  %1 = call @zeros(%size) : (index) -> tensor<?xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?xf32>
}
func.func @scan(%a: tensor<?x8xf32>, %n: index) -> tensor<?x8xf32> attributes {mllm.dispatch} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %e) -> (tensor<?x8xf32>) {
    scf.yield %acc : tensor<?x8xf32>
  }
  return %r : tensor<?x8xf32>
}
func.func @zeros(%n: index) -> tensor<?xf32> attributes {mllm.dispatch} {
  %e = tensor.empty(%n) : tensor<?xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %f : tensor<?xf32>
}
