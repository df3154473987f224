// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s
// The pass also runs nested on each function, as the compiler schedules it.
// RUN: mllmc-opt --pass-pipeline="builtin.module(func.func(convert-mllm-to-linalg))" --split-input-file %s | FileCheck %s

// Numpy broadcasting: a lower-rank operand drops the leading dims.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast_rank
//  CHECK-SAME: (%[[A:.+]]: tensor<2x8xf32>, %[[B:.+]]: tensor<8xf32>)
//       CHECK: %[[INIT:.+]] = tensor.empty() : tensor<2x8xf32>
//       CHECK: %[[R:.+]] = linalg.generic
//  CHECK-SAME:   indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
//  CHECK-SAME:   iterator_types = ["parallel", "parallel"]
//  CHECK-SAME:   ins(%[[A]], %[[B]] : tensor<2x8xf32>, tensor<8xf32>) outs(%[[INIT]] : tensor<2x8xf32>)
//       CHECK:   ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[S:.+]] = arith.addf %[[X]], %[[Y]] : f32
//       CHECK:   linalg.yield %[[S]] : f32
//       CHECK: return %[[R]]
func.func @add_broadcast_rank(%a: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %r = mllm.add %a, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// -----

// Size-1 dims that stretch read index 0; both operands broadcast.
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @sub_int_outer
//       CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ROW]], #[[ID]]]
//       CHECK:   arith.subi %{{.+}}, %{{.+}} : i32
func.func @sub_int_outer(%a: tensor<4x1xi32>, %b: tensor<1x8xi32>) -> tensor<4x8xi32> {
  %r = mllm.sub %a, %b : (tensor<4x1xi32>, tensor<1x8xi32>) -> tensor<4x8xi32>
  return %r : tensor<4x8xi32>
}

// -----

// A dynamic result dim is sized from the operand that is dynamic there.
// CHECK-LABEL: func.func @mul_dynamic
//  CHECK-SAME: (%[[A:.+]]: tensor<?x8xf16>, %[[B:.+]]: tensor<1x8xf16>)
//       CHECK: %[[C0:.+]] = arith.constant 0 : index
//       CHECK: %[[D0:.+]] = tensor.dim %[[A]], %[[C0]] : tensor<?x8xf16>
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[D0]]) : tensor<?x8xf16>
//       CHECK: linalg.generic
//  CHECK-SAME:   outs(%[[INIT]] : tensor<?x8xf16>)
//       CHECK:   arith.mulf %{{.+}}, %{{.+}} : f16
func.func @mul_dynamic(%a: tensor<?x8xf16>, %b: tensor<1x8xf16>) -> tensor<?x8xf16> {
  %r = mllm.mul %a, %b : (tensor<?x8xf16>, tensor<1x8xf16>) -> tensor<?x8xf16>
  return %r : tensor<?x8xf16>
}

// -----

// CHECK-LABEL: func.func @div_float
//       CHECK:   arith.divf
// CHECK-LABEL: func.func @div_int
//       CHECK:   arith.divsi
func.func @div_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = mllm.div %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @div_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %r = mllm.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %r : tensor<4xi64>
}

// -----

// The remainder of the truncating division: remf, remsi, remui.
// CHECK-LABEL: func.func @rem_float
//       CHECK:   arith.remf
// CHECK-LABEL: func.func @rem_int
//       CHECK:   arith.remsi
// CHECK-LABEL: func.func @rem_uint
//       CHECK:   arith.remui %{{.*}}, %{{.*}} : i32
func.func @rem_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = mllm.rem %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @rem_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %r = mllm.rem %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %r : tensor<4xi64>
}
func.func @rem_uint(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xui32> {
  %r = mllm.rem %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %r : tensor<4xui32>
}

// -----

// max/min propagate NaN: maximumf/minimumf for floats, signed for integers.
// CHECK-LABEL: func.func @max_min
//       CHECK:   arith.maximumf %{{.+}}, %{{.+}} : f32
//       CHECK:   arith.minsi %{{.+}}, %{{.+}} : i8
func.func @max_min(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xi8>, %d: tensor<4xi8>) -> (tensor<4xf32>, tensor<4xi8>) {
  %r = mllm.max %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s = mllm.min %c, %d : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %r, %s : tensor<4xf32>, tensor<4xi8>
}

// -----

// pow computes in f32 for f16 and rounds back once.
// CHECK-LABEL: func.func @pow_f16
//       CHECK:   ^bb0(%[[X:.+]]: f16, %[[Y:.+]]: f16, %{{.+}}: f16):
//       CHECK:   %[[XW:.+]] = arith.extf %[[X]] : f16 to f32
//       CHECK:   %[[YW:.+]] = arith.extf %[[Y]] : f16 to f32
//       CHECK:   %[[P:.+]] = math.powf %[[XW]], %[[YW]] : f32
//       CHECK:   %[[R:.+]] = arith.truncf %[[P]] : f32 to f16
//       CHECK:   linalg.yield %[[R]] : f16
func.func @pow_f16(%a: tensor<4xf16>, %b: tensor<4xf16>) -> tensor<4xf16> {
  %r = mllm.pow %a, %b : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  return %r : tensor<4xf16>
}

// -----

// x^2 with a constant exponent is x*x, and the exponent is not read.
// CHECK-LABEL: func.func @pow_square
//  CHECK-SAME: (%[[A:.+]]: tensor<4xf32>)
//       CHECK: linalg.generic
//  CHECK-SAME:   ins(%[[A]] : tensor<4xf32>)
//       CHECK:   ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//       CHECK:   arith.mulf %[[X]], %[[X]] : f32
//   CHECK-NOT: math.powf
func.func @pow_square(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = mllm.constant dense<2.0> : tensor<f32>
  %r = mllm.pow %a, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @logical
//       CHECK:   arith.andi %{{.+}}, %{{.+}} : i1
//       CHECK:   arith.ori %{{.+}}, %{{.+}} : i1
func.func @logical(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %r = mllm.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %s = mllm.or %r, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %s : tensor<4xi1>
}

// -----

// Float compares are ordered (une for ne); integer compares are signed.
// CHECK-LABEL: func.func @cmp
//       CHECK:   arith.cmpf olt, %{{.+}}, %{{.+}} : f32
//       CHECK:   -> tensor<4x8xi1>
//       CHECK:   arith.cmpf une, %{{.+}}, %{{.+}} : f32
//       CHECK:   arith.cmpi sge, %{{.+}}, %{{.+}} : i64
func.func @cmp(%a: tensor<4x1xf32>, %b: tensor<8xf32>, %c: tensor<4xi64>, %d: tensor<4xi64>) -> (tensor<4x8xi1>, tensor<4x8xi1>, tensor<4xi1>) {
  %r = mllm.cmp lt, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  %s = mllm.cmp ne, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  %t = mllm.cmp ge, %c, %d : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  return %r, %s, %t : tensor<4x8xi1>, tensor<4x8xi1>, tensor<4xi1>
}

// -----

// Three-way broadcasting, including a rank-0 operand.
// CHECK-DAG: #[[C:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[S:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @select
//       CHECK: linalg.generic {indexing_maps = [#[[C]], #[[ID]], #[[S]], #[[ID]]]
//       CHECK:   ^bb0(%[[P:.+]]: i1, %[[T:.+]]: f32, %[[F:.+]]: f32, %{{.+}}: f32):
//       CHECK:   arith.select %[[P]], %[[T]], %[[F]] : f32
func.func @select(%c: tensor<1x8xi1>, %x: tensor<4x8xf32>, %y: tensor<f32>) -> tensor<4x8xf32> {
  %r = mllm.select %c, %x, %y : (tensor<1x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
