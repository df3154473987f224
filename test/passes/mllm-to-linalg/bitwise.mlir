// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// Bitwise ops are one arith op on the signless operands; shifts read the
// amount as unsigned: an amount of at least the width gives 0 (left, and
// logical right of unsigned types) or clamps to width - 1 (arithmetic right
// shift fills with the sign).

// CHECK-LABEL: func.func @bitwise
//       CHECK: linalg.generic
//       CHECK:   arith.andi %{{.*}}, %{{.*}} : i32
//       CHECK: linalg.generic
//       CHECK:   arith.ori %{{.*}}, %{{.*}} : i8
//       CHECK: linalg.generic
//       CHECK:   arith.xori %{{.*}}, %{{.*}} : i32
//       CHECK: linalg.generic
//       CHECK:   %[[ONES:.+]] = arith.constant -1 : i8
//       CHECK:   arith.xori %{{.*}}, %[[ONES]] : i8
func.func @bitwise(%a: tensor<2x4xi32>, %b: tensor<4xi32>, %u: tensor<4xui8>)
    -> (tensor<2x4xi32>, tensor<4xui8>, tensor<2x4xi32>, tensor<4xui8>) {
  %0 = mllm.bitwise_and %a, %b : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
  %1 = mllm.bitwise_or %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = mllm.bitwise_xor %a, %a : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x4xi32>
  %3 = mllm.bitwise_not %u : tensor<4xui8>
  return %0, %1, %2, %3 : tensor<2x4xi32>, tensor<4xui8>, tensor<2x4xi32>, tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @shift_left
//       CHECK: ^bb0(%[[X:.+]]: i8, %[[S:.+]]: i8, %{{.+}}: i8):
//       CHECK:   %[[LAST:.+]] = arith.constant 7 : i8
//       CHECK:   %[[IN:.+]] = arith.cmpi ule, %[[S]], %[[LAST]] : i8
//       CHECK:   %[[SHL:.+]] = arith.shli %[[X]], %[[S]] : i8
//       CHECK:   %[[ZERO:.+]] = arith.constant 0 : i8
//       CHECK:   arith.select %[[IN]], %[[SHL]], %[[ZERO]] : i8
func.func @shift_left(%x: tensor<4xi8>, %s: tensor<4xi8>) -> tensor<4xi8> {
  %0 = mllm.shift_left %x, %s : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// CHECK-LABEL: func.func @shift_right
//       CHECK: ^bb0(%[[X:.+]]: i16, %[[S:.+]]: i16, %{{.+}}: i16):
//       CHECK:   %[[LAST:.+]] = arith.constant 15 : i16
//       CHECK:   %[[AMOUNT:.+]] = arith.minui %[[S]], %[[LAST]] : i16
//       CHECK:   arith.shrsi %[[X]], %[[AMOUNT]] : i16
//       CHECK: ^bb0(%[[UX:.+]]: i64, %[[US:.+]]: i64, %{{.+}}: i64):
//       CHECK:   arith.cmpi ule, %[[US]], %{{.+}} : i64
//       CHECK:   arith.shrui %[[UX]], %[[US]] : i64
func.func @shift_right(%x: tensor<4xi16>, %u: tensor<4xui64>) -> (tensor<4xi16>, tensor<4xui64>) {
  %0 = mllm.shift_right %x, %x : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  %1 = mllm.shift_right %u, %u : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xui64>
  return %0, %1 : tensor<4xi16>, tensor<4xui64>
}

// -----

// The trigonometric and hyperbolic ops become their math ops (f16 computes
// in f32).
// CHECK-LABEL: func.func @trig
//       CHECK: math.tan %{{.*}} : f32
//       CHECK: math.asin
//       CHECK: math.acos
//       CHECK: math.atan
//       CHECK: math.sinh
//       CHECK: math.cosh
//       CHECK: math.asinh
//       CHECK: math.acosh
//       CHECK: arith.extf %{{.*}} : f16 to f32
//       CHECK: math.atanh %{{.*}} : f32
//       CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @trig(%x: tensor<4xf32>, %h: tensor<4xf16>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>) {
  %0 = mllm.tan %x : tensor<4xf32>
  %1 = mllm.asin %x : tensor<4xf32>
  %2 = mllm.acos %x : tensor<4xf32>
  %3 = mllm.atan %x : tensor<4xf32>
  %4 = mllm.sinh %x : tensor<4xf32>
  %5 = mllm.cosh %x : tensor<4xf32>
  %6 = mllm.asinh %x : tensor<4xf32>
  %7 = mllm.acosh %x : tensor<4xf32>
  %8 = mllm.atanh %h : tensor<4xf16>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>
}
