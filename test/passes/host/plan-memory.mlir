// RUN: mllmc-opt --mllmc-plan-memory --split-input-file --verify-diagnostics %s | FileCheck %s
// RUN: mllmc-opt --mllmc-plan-memory=alignment=16 --split-input-file --verify-diagnostics %s | FileCheck %s --check-prefix=ALIGN16
// RUN: not mllmc-opt --mllmc-plan-memory=alignment=48 --split-input-file %s 2>&1 | FileCheck %s --check-prefix=BADALIGN
// RUN: not mllmc-opt --mllmc-plan-memory=alignment=0 --split-input-file %s 2>&1 | FileCheck %s --check-prefix=BADALIGN0

// BADALIGN: error: mllmc-plan-memory: alignment must be a power of two, got 48
// BADALIGN0: error: mllmc-plan-memory: alignment must be a power of two, got 0

// A chain: each buffer is live from the call that writes it to the call
// that last reads it, so the buffers alternate between two slots. The input
// is read by the first call only.
// CHECK-LABEL: func.func @chain
//  CHECK-SAME:   (%{{.+}}: tensor<16xf32> {mllm.arena_offset = 0 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 128 : i64}
//       CHECK:   call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 64>}
//       CHECK:   call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 0>}
//       CHECK:   call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 64>}
// Dispatch functions are not planned.
//       CHECK: func.func private @d(tensor<16xf32>) -> tensor<16xf32> attributes {mllm.dispatch}
// ALIGN16-LABEL: func.func @chain
//  ALIGN16-SAME:   attributes {mllm.arena_size = 128 : i64}
func.func @chain(%a: tensor<16xf32>) -> tensor<16xf32> {
  %0 = call @d(%a) : (tensor<16xf32>) -> tensor<16xf32>
  %1 = call @d(%0) : (tensor<16xf32>) -> tensor<16xf32>
  %2 = call @d(%1) : (tensor<16xf32>) -> tensor<16xf32>
  return %2 : tensor<16xf32>
}
func.func private @d(tensor<16xf32>) -> tensor<16xf32> attributes {mllm.dispatch}

// -----

// Sizes round up to the alignment; the largest buffer is placed first. With
// 64-byte alignment all three take 64 bytes; with 16-byte alignment the
// 40-byte buffer takes 48, the input (12 bytes) 16 above it, and the output
// reuses the input's bytes, which are dead by then.
// CHECK-LABEL: func.func @alignment
//  CHECK-SAME:   (%{{.+}}: tensor<3xf32> {mllm.arena_offset = 0 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 128 : i64}
//       CHECK:   call @grow(%{{.+}}) {mllm.arena_offsets = array<i64: 64>}
//       CHECK:   call @shrink(%{{.+}}) {mllm.arena_offsets = array<i64: 0>}
// ALIGN16-LABEL: func.func @alignment
//  ALIGN16-SAME:   (%{{.+}}: tensor<3xf32> {mllm.arena_offset = 48 : i64})
//  ALIGN16-SAME:   attributes {mllm.arena_size = 64 : i64}
//       ALIGN16:   call @grow(%{{.+}}) {mllm.arena_offsets = array<i64: 0>}
//       ALIGN16:   call @shrink(%{{.+}}) {mllm.arena_offsets = array<i64: 48>}
func.func @alignment(%a: tensor<3xf32>) -> tensor<2xf32> {
  %0 = call @grow(%a) : (tensor<3xf32>) -> tensor<10xf32>
  %1 = call @shrink(%0) : (tensor<10xf32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}
func.func private @grow(tensor<3xf32>) -> tensor<10xf32> attributes {mllm.dispatch}
func.func private @shrink(tensor<10xf32>) -> tensor<2xf32> attributes {mllm.dispatch}

// -----

// A reshape is an alias: a read of %r is a read of %0, so %0 stays live until
// @join and cannot share bytes with %1.
// CHECK-LABEL: func.func @alias
//  CHECK-SAME:   (%{{.+}}: tensor<16xf32> {mllm.arena_offset = 0 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 192 : i64}
//       CHECK:   %[[A:.+]] = call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 64>}
//       CHECK:   tensor.expand_shape %[[A]]
//   CHECK-NOT:   mllm.arena
//       CHECK:   call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 128>}
//       CHECK:   call @join(%{{.+}}, %{{.+}}) {mllm.arena_offsets = array<i64: 0>}
func.func @alias(%a: tensor<16xf32>) -> tensor<16xf32> {
  %0 = call @d(%a) : (tensor<16xf32>) -> tensor<16xf32>
  %r = tensor.expand_shape %0 [[0, 1]] output_shape [4, 4] : tensor<16xf32> into tensor<4x4xf32>
  %1 = call @d(%a) : (tensor<16xf32>) -> tensor<16xf32>
  %2 = call @join(%r, %1) : (tensor<4x4xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %2 : tensor<16xf32>
}
func.func private @d(tensor<16xf32>) -> tensor<16xf32> attributes {mllm.dispatch}
func.func private @join(tensor<4x4xf32>, tensor<16xf32>) -> tensor<16xf32> attributes {mllm.dispatch}

// -----

// Outputs live to the end: %0 is returned, so %2 cannot take its bytes
// although nothing reads %0 after its call. A call with two results gets two
// offsets.
// CHECK-LABEL: func.func @outputs
//  CHECK-SAME:   (%{{.+}}: tensor<16xf32> {mllm.arena_offset = 0 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 256 : i64}
//       CHECK:   call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 64>}
//       CHECK:   call @d(%{{.+}}) {mllm.arena_offsets = array<i64: 128>}
//       CHECK:   call @two(%{{.+}}) {mllm.arena_offsets = array<i64: 0, 192>}
func.func @outputs(%a: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) {
  %0 = call @d(%a) : (tensor<16xf32>) -> tensor<16xf32>
  %1 = call @d(%a) : (tensor<16xf32>) -> tensor<16xf32>
  %2:2 = call @two(%1) : (tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>)
  return %0, %2#0, %2#1 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
}
func.func private @d(tensor<16xf32>) -> tensor<16xf32> attributes {mllm.dispatch}
func.func private @two(tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) attributes {mllm.dispatch}

// -----

// Weights live in the weight section, not in the arena, even through a
// reshape; i1 takes a byte per element (100 bytes, 128 with alignment).
// CHECK-LABEL: func.func @weights
//  CHECK-SAME:   (%{{.+}}: tensor<100xi1> {mllm.arena_offset = 0 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 192 : i64}
//       CHECK:   call @use_weight(%{{.+}}, %{{.+}}) {mllm.arena_offsets = array<i64: 128>}
// ALIGN16-LABEL: func.func @weights
//  ALIGN16-SAME:   (%{{.+}}: tensor<100xi1> {mllm.arena_offset = 0 : i64})
//  ALIGN16-SAME:   attributes {mllm.arena_size = 176 : i64}
//       ALIGN16:   call @use_weight(%{{.+}}, %{{.+}}) {mllm.arena_offsets = array<i64: 112>}
ml_program.global private @w(dense<1.0> : tensor<1024xf32>) : tensor<1024xf32>
func.func @weights(%m: tensor<100xi1>) -> tensor<16xf32> {
  %w = ml_program.global_load_const @w : tensor<1024xf32>
  %r = tensor.expand_shape %w [[0, 1]] output_shape [64, 16] : tensor<1024xf32> into tensor<64x16xf32>
  %0 = call @use_weight(%m, %r) : (tensor<100xi1>, tensor<64x16xf32>) -> tensor<16xf32>
  return %0 : tensor<16xf32>
}
func.func private @use_weight(tensor<100xi1>, tensor<64x16xf32>) -> tensor<16xf32> attributes {mllm.dispatch}

// -----

// Largest first: the 512-byte buffer takes offset 0 and the input, live at
// the same time, goes above it. Then the 128-byte output reuses the bytes of
// the 512-byte buffer (dead by then) and the 64-byte one those of the input.
// CHECK-LABEL: func.func @mixed_sizes
//  CHECK-SAME:   (%{{.+}}: tensor<64xf32> {mllm.arena_offset = 512 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 768 : i64}
//       CHECK:   call @big(%{{.+}}) {mllm.arena_offsets = array<i64: 0>}
//       CHECK:   call @small(%{{.+}}) {mllm.arena_offsets = array<i64: 512>}
//       CHECK:   call @back(%{{.+}}) {mllm.arena_offsets = array<i64: 0>}
func.func @mixed_sizes(%a: tensor<64xf32>) -> tensor<32xf32> {
  %0 = call @big(%a) : (tensor<64xf32>) -> tensor<128xf32>
  %1 = call @small(%0) : (tensor<128xf32>) -> tensor<16xf32>
  %2 = call @back(%1) : (tensor<16xf32>) -> tensor<32xf32>
  return %2 : tensor<32xf32>
}
func.func private @big(tensor<64xf32>) -> tensor<128xf32> attributes {mllm.dispatch}
func.func private @small(tensor<128xf32>) -> tensor<16xf32> attributes {mllm.dispatch}
func.func private @back(tensor<16xf32>) -> tensor<32xf32> attributes {mllm.dispatch}

// -----

// A small buffer fits in the gap below a larger one placed before it: %1
// overlaps only %0 (at 256), so it goes to offset 0, which the input no
// longer needs.
// CHECK-LABEL: func.func @gap
//  CHECK-SAME:   (%{{.+}}: tensor<64xf32> {mllm.arena_offset = 0 : i64})
//  CHECK-SAME:   attributes {mllm.arena_size = 512 : i64}
//       CHECK:   call @f(%{{.+}}) {mllm.arena_offsets = array<i64: 256>}
//       CHECK:   call @g(%{{.+}}) {mllm.arena_offsets = array<i64: 0>}
func.func @gap(%a: tensor<64xf32>) -> (tensor<64xf32>, tensor<16xf32>) {
  %0 = call @f(%a) : (tensor<64xf32>) -> tensor<64xf32>
  %1 = call @g(%0) : (tensor<64xf32>) -> tensor<16xf32>
  return %0, %1 : tensor<64xf32>, tensor<16xf32>
}
func.func private @f(tensor<64xf32>) -> tensor<64xf32> attributes {mllm.dispatch}
func.func private @g(tensor<64xf32>) -> tensor<16xf32> attributes {mllm.dispatch}
