// RUN: mllmc-opt --mllmc-plan-memory --split-input-file --verify-diagnostics %s | FileCheck %s

// A min or max that no side decides at compile time is a derived symbol
// after the arguments' symbols (s2, s3, ... here), its definition recorded
// in mllm.derived_sizes for the artifact builder (which emits it as a Min
// or Max instruction): min(rows, cols); the clamp max(cols - 1, 0) of
// x[:, 1:]; affine.min(rows, 16, cols + 1) as two nested mins; a derived
// symbol reused (min(cols, rows) is min(rows, cols)); and clamps that one
// side decides at every size fold: min(cols - 1, cols) = cols - 1,
// max(0, rows) = rows (the last buffer: rows + cols). At the dim hint (64)
// the sum is the larger buffer and is placed first.
//       CHECK: #[[INPUT:.+]] = affine_map<()[s0, s1, s2, s3, s4, s5] -> ((((s0 * s1) * 4) ceildiv 64) * 64)>
//       CHECK: #[[SUM:.+]] = affine_map<()[s0, s1, s2, s3, s4, s5] -> ((((s0 + s1) * 4) ceildiv 64) * 64)>
//       CHECK: #[[MIN:.+]] = affine_map<()[s0, s1, s2, s3, s4, s5] -> (((s2 * 4) ceildiv 64) * 64)>
//       CHECK: #[[TAIL:.+]] = affine_map<()[s0, s1, s2, s3, s4, s5] -> (((s3 * 4) ceildiv 64) * 64)>
//       CHECK: #[[AMIN:.+]] = affine_map<()[s0, s1, s2, s3, s4, s5] -> (((s5 * 4) ceildiv 64) * 64)>
//       CHECK: #[[D0:.+]] = affine_map<()[s0, s1] -> (s0, s1)>
//       CHECK: #[[D1:.+]] = affine_map<()[s0, s1, s2] -> (s1 - 1, 0)>
//       CHECK: #[[D2:.+]] = affine_map<()[s0, s1, s2, s3] -> (s0, 16)>
//       CHECK: #[[D3:.+]] = affine_map<()[s0, s1, s2, s3, s4] -> (s4, s1 + 1)>
// CHECK-LABEL: func.func @clamps
//  CHECK-SAME:   mllm.arena_plan = [{above = array<i64>, size = #[[INPUT]]}, {above = array<i64>, size = #[[SUM]]}, {above = array<i64: 1>, size = #[[MIN]]}, {above = array<i64: 1, 2>, size = #[[TAIL]]}, {above = array<i64: 1, 2, 3>, size = #[[MIN]]}, {above = array<i64: 1, 2, 3, 4>, size = #[[AMIN]]}]
//  CHECK-SAME:   mllm.derived_sizes = [{kind = "min", operands = #[[D0]]}, {kind = "max", operands = #[[D1]]}, {kind = "min", operands = #[[D2]]}, {kind = "min", operands = #[[D3]]}]
//  CHECK-SAME:   mllm.symbols = ["m.0", "m.1"]
func.func @clamps(%m: tensor<?x?xf32> {mllm.name = "m"}) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %m, %c0 : tensor<?x?xf32>
  %cols = tensor.dim %m, %c1 : tensor<?x?xf32>
  %n = arith.minsi %rows, %cols : index
  %0 = call @zeros(%n) : (index) -> tensor<?xf32>
  %tail = arith.subi %cols, %c1 : index
  %t = arith.maxsi %tail, %c0 : index
  %1 = call @zeros(%t) : (index) -> tensor<?xf32>
  %a = affine.min affine_map<()[s0, s1] -> (s0, 16, s1 + 1)>()[%rows, %cols]
  %2 = call @zeros(%a) : (index) -> tensor<?xf32>
  %same = arith.minui %cols, %rows : index
  %3 = call @zeros(%same) : (index) -> tensor<?xf32>
  %last = arith.minsi %tail, %cols : index
  %first = arith.maxsi %c0, %rows : index
  %sum = arith.addi %last, %first : index
  %sum1 = arith.addi %sum, %c1 : index
  %4 = call @zeros(%sum1) : (index) -> tensor<?xf32>
  return %0, %1, %2, %3, %4 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
}
func.func @zeros(%n: index) -> tensor<?xf32> attributes {mllm.dispatch} {
  %e = tensor.empty(%n) : tensor<?xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %f : tensor<?xf32>
}

// -----

// An unsigned min of a value that may be negative is not a signed one: no
// size program.
func.func @unsigned(%m: tensor<?x?xf32> {mllm.name = "m"}) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %m, %c0 : tensor<?x?xf32>
  %cols = tensor.dim %m, %c1 : tensor<?x?xf32>
  %diff = arith.subi %rows, %cols : index
  // expected-error @below {{this index value is needed at run time, but it is not computed from the input shapes by arithmetic the runtime evaluates}}
  %n = arith.minui %diff, %cols : index
  %0 = call @zeros(%n) : (index) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
func.func @zeros(%n: index) -> tensor<?xf32> attributes {mllm.dispatch} {
  %e = tensor.empty(%n) : tensor<?xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  return %f : tensor<?xf32>
}
