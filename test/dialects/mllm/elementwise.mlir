// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of the broadcasting, logical, unary and cast ops. Every result
// type below is checked against the inferred one by the verifier.

// CHECK-LABEL: func @binary
func.func @binary(%a: tensor<2x8xf32>, %b: tensor<8xf32>, %c: tensor<?x1xf32>,
                  %d: tensor<1x?xf32>) {
  // CHECK: mllm.add %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %0 = mllm.add %a, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // A dynamic size next to a static size > 1 takes the static size.
  // CHECK: mllm.sub %{{.*}}, %{{.*}} : (tensor<?x1xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = mllm.sub %c, %b : (tensor<?x1xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  // CHECK: mllm.mul %{{.*}}, %{{.*}} : (tensor<?x1xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>
  %2 = mllm.mul %c, %d : (tensor<?x1xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>
  // CHECK: mllm.div %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<?x1xf32>) -> tensor<2x8xf32>
  %3 = mllm.div %a, %c : (tensor<2x8xf32>, tensor<?x1xf32>) -> tensor<2x8xf32>
  // CHECK: mllm.pow %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %4 = mllm.pow %a, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: mllm.max %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %5 = mllm.max %b, %a : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: mllm.min %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %6 = mllm.min %a, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// CHECK-LABEL: func @integer_and_scalar
func.func @integer_and_scalar(%a: tensor<4x3xi64>, %s: tensor<i64>,
                              %h: tensor<3xbf16>, %g: tensor<f16>) {
  // CHECK: mllm.add %{{.*}}, %{{.*}} : (tensor<4x3xi64>, tensor<i64>) -> tensor<4x3xi64>
  %0 = mllm.add %a, %s : (tensor<4x3xi64>, tensor<i64>) -> tensor<4x3xi64>
  // CHECK: mllm.mul %{{.*}}, %{{.*}} : (tensor<3xbf16>, tensor<3xbf16>) -> tensor<3xbf16>
  %1 = mllm.mul %h, %h : (tensor<3xbf16>, tensor<3xbf16>) -> tensor<3xbf16>
  // CHECK: mllm.sub %{{.*}}, %{{.*}} : (tensor<f16>, tensor<f16>) -> tensor<f16>
  %2 = mllm.sub %g, %g : (tensor<f16>, tensor<f16>) -> tensor<f16>
  return
}

// CHECK-LABEL: func @compare_and_logic
func.func @compare_and_logic(%a: tensor<4x1xf32>, %b: tensor<8xf32>,
                             %i: tensor<?xi32>, %p: tensor<4x8xi1>,
                             %q: tensor<8xi1>) {
  // CHECK: mllm.cmp eq, %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  %0 = mllm.cmp eq, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: mllm.cmp ne,
  %1 = mllm.cmp ne, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: mllm.cmp lt,
  %2 = mllm.cmp lt, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: mllm.cmp le,
  %3 = mllm.cmp le, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: mllm.cmp gt,
  %4 = mllm.cmp gt, %a, %b : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xi1>
  // CHECK: mllm.cmp ge, %{{.*}}, %{{.*}} : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi1>
  %5 = mllm.cmp ge, %i, %i : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi1>
  // CHECK: mllm.and %{{.*}}, %{{.*}} : (tensor<4x8xi1>, tensor<8xi1>) -> tensor<4x8xi1>
  %6 = mllm.and %p, %q : (tensor<4x8xi1>, tensor<8xi1>) -> tensor<4x8xi1>
  // CHECK: mllm.or %{{.*}}, %{{.*}} : (tensor<8xi1>, tensor<4x8xi1>) -> tensor<4x8xi1>
  %7 = mllm.or %q, %p : (tensor<8xi1>, tensor<4x8xi1>) -> tensor<4x8xi1>
  // CHECK: mllm.not %{{.*}} : tensor<4x8xi1>
  %8 = mllm.not %p : tensor<4x8xi1>
  return
}

// CHECK-LABEL: func @select
func.func @select(%c: tensor<1x8xi1>, %x: tensor<4x8xf32>, %y: tensor<f32>,
                  %d: tensor<?x1x1xi1>) {
  // CHECK: mllm.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %0 = mllm.select %c, %x, %y : (tensor<1x8xi1>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  // CHECK: mllm.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x1x1xi1>, tensor<f32>, tensor<4x8xf32>) -> tensor<?x4x8xf32>
  %1 = mllm.select %d, %y, %x : (tensor<?x1x1xi1>, tensor<f32>, tensor<4x8xf32>) -> tensor<?x4x8xf32>
  return
}

// CHECK-LABEL: func @unary
func.func @unary(%x: tensor<2x?xf32>, %i: tensor<3xi32>, %h: tensor<4xf16>) {
  // CHECK: mllm.neg %{{.*}} : tensor<2x?xf32>
  %0 = mllm.neg %x : tensor<2x?xf32>
  // CHECK: mllm.neg %{{.*}} : tensor<3xi32>
  %1 = mllm.neg %i : tensor<3xi32>
  // CHECK: mllm.abs %{{.*}} : tensor<3xi32>
  %2 = mllm.abs %i : tensor<3xi32>
  // CHECK: mllm.exp %{{.*}} : tensor<2x?xf32>
  %3 = mllm.exp %x : tensor<2x?xf32>
  // CHECK: mllm.log %{{.*}} : tensor<2x?xf32>
  %4 = mllm.log %x : tensor<2x?xf32>
  // CHECK: mllm.sqrt %{{.*}} : tensor<4xf16>
  %5 = mllm.sqrt %h : tensor<4xf16>
  // CHECK: mllm.rsqrt %{{.*}} : tensor<2x?xf32>
  %6 = mllm.rsqrt %x : tensor<2x?xf32>
  // CHECK: mllm.reciprocal %{{.*}} : tensor<2x?xf32>
  %7 = mllm.reciprocal %x : tensor<2x?xf32>
  // CHECK: mllm.erf %{{.*}} : tensor<2x?xf32>
  %8 = mllm.erf %x : tensor<2x?xf32>
  // CHECK: mllm.tanh %{{.*}} : tensor<2x?xf32>
  %9 = mllm.tanh %x : tensor<2x?xf32>
  // CHECK: mllm.sigmoid %{{.*}} : tensor<2x?xf32>
  %10 = mllm.sigmoid %x : tensor<2x?xf32>
  // CHECK: mllm.relu %{{.*}} : tensor<3xi32>
  %11 = mllm.relu %i : tensor<3xi32>
  // The default approximation is not printed.
  // CHECK: mllm.gelu %{{.*}} : tensor<2x?xf32>
  %12 = mllm.gelu %x : tensor<2x?xf32>
  // CHECK: mllm.gelu %{{.*}} : tensor<2x?xf32>
  %13 = mllm.gelu %x approximate = none : tensor<2x?xf32>
  // CHECK: mllm.gelu %{{.*}} approximate = tanh : tensor<2x?xf32>
  %14 = mllm.gelu %x approximate = tanh : tensor<2x?xf32>
  // CHECK: mllm.quick_gelu %{{.*}} : tensor<2x?xf32>
  %15 = mllm.quick_gelu %x : tensor<2x?xf32>
  // CHECK: mllm.silu %{{.*}} : tensor<4xf16>
  %16 = mllm.silu %h : tensor<4xf16>
  return
}

// CHECK-LABEL: func @cast
func.func @cast(%x: tensor<2x?xf32>, %i: tensor<3xi64>, %b: tensor<3xi1>) {
  // CHECK: mllm.cast %{{.*}} : tensor<2x?xf32> to tensor<2x?xf16>
  %0 = mllm.cast %x : tensor<2x?xf32> to tensor<2x?xf16>
  // CHECK: mllm.cast %{{.*}} : tensor<3xi64> to tensor<3xf32>
  %1 = mllm.cast %i : tensor<3xi64> to tensor<3xf32>
  // CHECK: mllm.cast %{{.*}} : tensor<3xi1> to tensor<3xi32>
  %2 = mllm.cast %b : tensor<3xi1> to tensor<3xi32>
  // CHECK: mllm.cast %{{.*}} : tensor<3xi64> to tensor<3xi1>
  %3 = mllm.cast %i : tensor<3xi64> to tensor<3xi1>
  return
}
