// RUN: mllmc-opt --pass-pipeline="builtin.module(func.func(convert-mllm-to-linalg))" --split-input-file %s | FileCheck %s

// Unsigned element types become signless; the signature records the
// model's type for the artifact, and the scalar ops are the unsigned ones.

// CHECK-LABEL: func.func @div_cmp_max
//  CHECK-SAME: (%{{.*}}: tensor<4xi8> {mllm.element_type = ui8}, %{{.*}}: tensor<4xi8> {mllm.element_type = ui8})
//  CHECK-SAME: -> (tensor<4xi8> {mllm.element_type = ui8}, tensor<4xi1>, tensor<4xi8> {mllm.element_type = ui8})
//       CHECK: arith.divui %{{.*}}, %{{.*}} : i8
//       CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i8
//       CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
//   CHECK-NOT: ui8
func.func @div_cmp_max(%a: tensor<4xui8>, %b: tensor<4xui8>)
    -> (tensor<4xui8>, tensor<4xi1>, tensor<4xui8>) {
  %0 = mllm.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = mllm.cmp lt, %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %2 = mllm.max %0, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2 : tensor<4xui8>, tensor<4xi1>, tensor<4xui8>
}

// -----

// Signless integers keep the signed ops.
// CHECK-LABEL: func.func @signed
//  CHECK-SAME: (%{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi1>)
//       CHECK: arith.divsi
//       CHECK: arith.cmpi sge
func.func @signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi1>) {
  %0 = mllm.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = mllm.cmp ge, %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  return %0, %1 : tensor<4xi32>, tensor<4xi1>
}

// -----

// Casts: from unsigned zero-extend and convert unsigned; to a narrow
// unsigned type a float goes through i64 (so out-of-range values wrap); to
// u64 it is fptoui; between same-width types nothing is left to do.
// CHECK-LABEL: func.func @casts
//       CHECK: arith.uitofp %{{.*}} : i16 to f32
//       CHECK: arith.extui %{{.*}} : i16 to i64
//       CHECK: arith.fptosi %{{.*}} : f32 to i64
//  CHECK-NEXT: arith.trunci %{{.*}} : i64 to i8
//       CHECK: arith.fptoui %{{.*}} : f32 to i64
//       CHECK: arith.extsi %{{.*}} : i8 to i32
//       CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %arg2 :
func.func @casts(%u: tensor<4xui16>, %f: tensor<4xf32>, %s: tensor<4xi8>)
    -> (tensor<4xf32>, tensor<4xi64>, tensor<4xui8>, tensor<4xui64>, tensor<4xui32>, tensor<4xui8>) {
  %0 = mllm.cast %u : tensor<4xui16> to tensor<4xf32>
  %1 = mllm.cast %u : tensor<4xui16> to tensor<4xi64>
  %2 = mllm.cast %f : tensor<4xf32> to tensor<4xui8>
  %3 = mllm.cast %f : tensor<4xf32> to tensor<4xui64>
  %4 = mllm.cast %s : tensor<4xi8> to tensor<4xui32>
  %5 = mllm.cast %s : tensor<4xi8> to tensor<4xui8>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xi64>, tensor<4xui8>, tensor<4xui64>, tensor<4xui32>, tensor<4xui8>
}

// -----

// reduce_max on unsigned starts at 0; on i1 it is a logical or from false.
// arg_min on unsigned starts at the largest unsigned value.
// CHECK-LABEL: func.func @reductions
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
//       CHECK: linalg.fill ins(%[[ZERO]] : i32)
//       CHECK: arith.maxui %{{.*}}, %{{.*}} : i32
//       CHECK: %[[FALSE:.+]] = arith.constant false
//       CHECK: linalg.fill ins(%[[FALSE]] : i1)
//       CHECK: arith.maxui %{{.*}}, %{{.*}} : i1
//       CHECK: %[[MAX:.+]] = arith.constant -1 : i16
//       CHECK: linalg.fill ins(%[[MAX]] : i16)
//       CHECK: arith.cmpi ult
func.func @reductions(%x: tensor<2x3xui32>, %b: tensor<2x3xi1>, %y: tensor<2x3xui16>)
    -> (tensor<2x1xui32>, tensor<2xi1>, tensor<2xi64>) {
  %0 = mllm.reduce_max %x axes = [1] : tensor<2x3xui32> -> tensor<2x1xui32>
  %1 = mllm.reduce_max %b axes = [1] keepdims = false : tensor<2x3xi1> -> tensor<2xi1>
  %2 = mllm.arg_min %y axis = 1 keepdims = false : tensor<2x3xui16> -> tensor<2xi64>
  return %0, %1, %2 : tensor<2x1xui32>, tensor<2xi1>, tensor<2xi64>
}

// -----

// Unsigned constants keep their bits as signless ones.
// CHECK-LABEL: func.func @constant
//       CHECK: arith.constant dense<[-1, 1]> : tensor<2xi8>
func.func @constant() -> tensor<2xui8> {
  %0 = mllm.constant dense<[255, 1]> : tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// top_k on unsigned compares unsigned.
// CHECK-LABEL: func.func @top_k
//       CHECK: arith.cmpi ugt
func.func @top_k(%x: tensor<5xui64>) -> (tensor<2xui64>, tensor<2xi64>) {
  %0:2 = mllm.top_k %x k = 2 axis = 0 : tensor<5xui64> -> tensor<2xui64>, tensor<2xi64>
  return %0#0, %0#1 : tensor<2xui64>, tensor<2xi64>
}
