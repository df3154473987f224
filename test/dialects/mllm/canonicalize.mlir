// RUN: mllmc-opt %s --canonicalize --split-input-file | FileCheck %s

// Folders: identities with splat constants, splat constant folding, identity
// shape ops and chains of reshapes and transposes.

// CHECK-LABEL: func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @add_zero(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %zero = mllm.constant dense<0.0> : tensor<8xf32>
  %0 = mllm.add %x, %zero : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %1 = mllm.add %zero, %x : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Adding zero must not fold away a broadcast that widens the operand.
// CHECK-LABEL: func @add_zero_broadcast
// CHECK: %[[R:.*]] = mllm.add
// CHECK-NEXT: return %[[R]]
func.func @add_zero_broadcast(%x: tensor<8xf32>) -> tensor<2x8xf32> {
  %zero = mllm.constant dense<0.0> : tensor<2x8xf32>
  %0 = mllm.add %x, %zero : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Adding a non-zero splat stays.
// CHECK-LABEL: func @add_nonzero
// CHECK: mllm.add
func.func @add_nonzero(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c = mllm.constant dense<0.5> : tensor<8xf32>
  %0 = mllm.add %x, %c : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func @sub_mul_div_pow_identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[I]], %[[I]]
func.func @sub_mul_div_pow_identities(%x: tensor<4xf32>, %i: tensor<4xi32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>) {
  %zero = mllm.constant dense<-0.0> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %ione = mllm.constant dense<1> : tensor<4xi32>
  %0 = mllm.sub %x, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = mllm.mul %one, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = mllm.div %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = mllm.pow %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = mllm.mul %i, %ione : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %5 = mllm.div %i, %ione : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// x - 0 folds, 0 - x does not.
// CHECK-LABEL: func @zero_minus_x
// CHECK: mllm.sub
func.func @zero_minus_x(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = mllm.constant dense<0.0> : tensor<4xf32>
  %0 = mllm.sub %zero, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The attention scale exporters emit: 1 / sqrt(64), folded to one constant.
// CHECK-LABEL: func @splat_arithmetic
// CHECK-DAG: mllm.constant dense<1.250000e-01> : tensor<f32>
// CHECK-DAG: mllm.constant dense<6.250000e-02> : tensor<2x2xf32>
// CHECK-DAG: mllm.constant dense<8.000000e+00> : tensor<f16>
// CHECK-DAG: mllm.constant dense<7> : tensor<1xi64>
// CHECK-DAG: mllm.constant dense<3> : tensor<1xi64>
// CHECK-DAG: mllm.constant dense<-12> : tensor<1xi64>
// CHECK-DAG: mllm.constant dense<-1> : tensor<1xi64>
// CHECK-NOT: mllm.sqrt
// CHECK-NOT: mllm.div
// CHECK-NOT: mllm.reciprocal
func.func @splat_arithmetic() -> (tensor<f32>, tensor<2x2xf32>, tensor<f16>, tensor<4xi64>) {
  %d = mllm.constant dense<64.0> : tensor<f32>
  %one = mllm.constant dense<1.0> : tensor<f32>
  %s = mllm.sqrt %d : tensor<f32>
  %0 = mllm.div %one, %s : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %r = mllm.rsqrt %d : tensor<f32>
  %two = mllm.constant dense<2.0> : tensor<2x2xf32>
  %1 = mllm.mul %r, %two : (tensor<f32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %2 = mllm.mul %1, %1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = mllm.constant dense<0.125> : tensor<f16>
  %3 = mllm.reciprocal %h : tensor<f16>
  %a = mllm.constant dense<5> : tensor<1xi64>
  %b = mllm.constant dense<2> : tensor<1xi64>
  %c = mllm.constant dense<-6> : tensor<1xi64>
  %m = mllm.constant dense<-3> : tensor<1xi64>
  %add = mllm.add %a, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %sub = mllm.sub %a, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %mul = mllm.mul %c, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  // Integer division truncates toward zero.
  %div = mllm.div %m, %b : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %4 = mllm.concat %add, %sub, %mul, %div axis = 0 : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4xi64>
  return %0, %2, %3, %4 : tensor<f32>, tensor<2x2xf32>, tensor<f16>, tensor<4xi64>
}

// -----

// Integer division by zero is left to run time.
// CHECK-LABEL: func @int_div_by_zero
// CHECK: mllm.div
func.func @int_div_by_zero() -> tensor<2xi32> {
  %a = mllm.constant dense<4> : tensor<2xi32>
  %z = mllm.constant dense<0> : tensor<2xi32>
  %0 = mllm.div %a, %z : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func @involutions
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xi1>)
// CHECK-NEXT: %[[C:.*]] = mllm.constant dense<-3> : tensor<2xi8>
// CHECK-NEXT: return %[[X]], %[[B]], %[[C]]
func.func @involutions(%x: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<4xf32>, tensor<4xi1>, tensor<2xi8>) {
  %0 = mllm.neg %x : tensor<4xf32>
  %1 = mllm.neg %0 : tensor<4xf32>
  %2 = mllm.not %b : tensor<4xi1>
  %3 = mllm.not %2 : tensor<4xi1>
  %c = mllm.constant dense<3> : tensor<2xi8>
  %4 = mllm.neg %c : tensor<2xi8>
  return %1, %3, %4 : tensor<4xf32>, tensor<4xi1>, tensor<2xi8>
}

// -----

// CHECK-LABEL: func @select
// CHECK-SAME: (%[[C:.*]]: tensor<4xi1>, %[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = mllm.select %[[C]], %[[X]], %[[Y]]
// CHECK-NEXT: return %[[X]], %[[Y]], %[[X]], %[[S]]
func.func @select(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %t = mllm.constant dense<true> : tensor<4xi1>
  %f = mllm.constant dense<false> : tensor<i1>
  %0 = mllm.select %t, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = mllm.select %f, %x, %y : (tensor<i1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = mllm.select %c, %x, %x : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = mllm.select %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @cast
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[A:.*]] = mllm.constant dense<-2> : tensor<3xi32>
// CHECK-DAG: %[[B:.*]] = mllm.constant dense<1.000000e+00> : tensor<3xf16>
// CHECK-DAG: %[[C:.*]] = mllm.constant dense<true> : tensor<3xi1>
// CHECK-DAG: %[[D:.*]] = mllm.constant dense<-1.000000e+00> : tensor<3xbf16>
// CHECK-DAG: %[[E:.*]] = mllm.constant dense<44> : tensor<3xi8>

// CHECK: return %[[X]], %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
func.func @cast(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<3xi32>, tensor<3xf16>, tensor<3xi1>, tensor<3xbf16>, tensor<3xi8>) {
  %0 = mllm.cast %x : tensor<4xf32> to tensor<4xf32>
  // Float to integer truncates toward zero.
  %f = mllm.constant dense<-2.75> : tensor<3xf32>
  %1 = mllm.cast %f : tensor<3xf32> to tensor<3xi32>
  // i1 true converts to 1.
  %t = mllm.constant dense<true> : tensor<3xi1>
  %2 = mllm.cast %t : tensor<3xi1> to tensor<3xf16>
  %3 = mllm.cast %f : tensor<3xf32> to tensor<3xi1>
  %m = mllm.constant dense<-1> : tensor<3xi64>
  %4 = mllm.cast %m : tensor<3xi64> to tensor<3xbf16>
  // Integers truncate: 300 = 0x12C -> 0x2C.
  %i = mllm.constant dense<300> : tensor<3xi32>
  %5 = mllm.cast %i : tensor<3xi32> to tensor<3xi8>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<3xi32>, tensor<3xf16>, tensor<3xi1>, tensor<3xbf16>, tensor<3xi8>
}

// -----

// A NaN does not convert to an integer: the cast stays.
// CHECK-LABEL: func @cast_nan
// CHECK: mllm.cast
func.func @cast_nan() -> tensor<2xi32> {
  %n = mllm.constant dense<0x7FC00000> : tensor<2xf32>
  %0 = mllm.cast %n : tensor<2xf32> to tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[D:.*]]: tensor<?x4xf32>, %[[E:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[R:.*]] = mllm.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-DAG: %[[C:.*]] = mllm.constant dense<2.000000e+00> : tensor<3x2xf32>
// CHECK-DAG: %[[S:.*]] = mllm.reshape %[[E]] : tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK: return %[[X]], %[[R]], %[[D]], %[[C]], %[[S]]
func.func @reshape(%x: tensor<2x3x4xf32>, %d: tensor<?x4xf32>, %e: tensor<?x?xf32>)
    -> (tensor<2x3x4xf32>, tensor<4x6xf32>, tensor<?x4xf32>, tensor<3x2xf32>, tensor<?x?xf32>) {
  %0 = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // A chain collapses into one reshape of the source.
  %1 = mllm.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %2 = mllm.reshape %1 : tensor<6x4xf32> -> tensor<24xf32>
  %3 = mllm.reshape %2 : tensor<24xf32> -> tensor<4x6xf32>
  // One dynamic dimension: equal types mean the identity.
  %4 = mllm.reshape %d : tensor<?x4xf32> -> tensor<?x4xf32>
  %c = mllm.constant dense<2.0> : tensor<6xf32>
  %5 = mllm.reshape %c : tensor<6xf32> -> tensor<3x2xf32>
  // Two dynamic dimensions: [2, 6] -> [3, 4] has this type too; it stays.
  %6 = mllm.reshape %e : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0, %3, %4, %5, %6 : tensor<2x3x4xf32>, tensor<4x6xf32>, tensor<?x4xf32>, tensor<3x2xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x8x64xf32>)
// CHECK-DAG: %[[T:.*]] = mllm.transpose %[[X]] permutation = [2, 0, 1, 3] : tensor<1x16x8x64xf32> -> tensor<8x1x16x64xf32>
// CHECK-DAG: %[[C:.*]] = mllm.constant dense<1.000000e+00> : tensor<3x2xf32>
// CHECK: return %[[X]], %[[X]], %[[T]], %[[C]]
func.func @transpose(%x: tensor<1x16x8x64xf32>) -> (tensor<1x16x8x64xf32>, tensor<1x16x8x64xf32>, tensor<8x1x16x64xf32>, tensor<3x2xf32>) {
  %0 = mllm.transpose %x permutation = [0, 1, 2, 3] : tensor<1x16x8x64xf32> -> tensor<1x16x8x64xf32>
  // Splitting heads and merging them back is the identity.
  %1 = mllm.transpose %x permutation = [0, 2, 1, 3] : tensor<1x16x8x64xf32> -> tensor<1x8x16x64xf32>
  %2 = mllm.transpose %1 permutation = [0, 2, 1, 3] : tensor<1x8x16x64xf32> -> tensor<1x16x8x64xf32>
  // Two transposes compose into one.
  %3 = mllm.transpose %1 permutation = [1, 0, 2, 3] : tensor<1x8x16x64xf32> -> tensor<8x1x16x64xf32>
  %c = mllm.constant dense<1.0> : tensor<2x3xf32>
  %4 = mllm.transpose %c permutation = [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0, %2, %3, %4 : tensor<1x16x8x64xf32>, tensor<1x16x8x64xf32>, tensor<8x1x16x64xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func @concat_slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[D:.*]]: tensor<?x8xf32>)
// CHECK-DAG: %[[S:.*]] = mllm.slice %[[D]]
// CHECK-DAG: %[[C:.*]] = mllm.constant dense<3.000000e+00> : tensor<2x4xf32>
// CHECK: return %[[X]], %[[X]], %[[S]], %[[C]]
func.func @concat_slice(%x: tensor<4x8xf32>, %d: tensor<?x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<?x8xf32>, tensor<2x4xf32>) {
  %0 = mllm.concat %x axis = 1 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = mllm.slice %x starts = [0, 0] ends = [4, 8] steps = [1, 1] : tensor<4x8xf32> -> tensor<4x8xf32>
  // Whether this covers all of a dynamic dimension is unknown: it stays.
  %2 = mllm.slice %d starts = [0, 0] ends = [4, 8] steps = [1, 1] : tensor<?x8xf32> -> tensor<?x8xf32>
  %c = mllm.constant dense<3.0> : tensor<4x8xf32>
  %3 = mllm.slice %c starts = [0, 0] ends = [4, 8] steps = [2, 2] : tensor<4x8xf32> -> tensor<2x4xf32>
  return %0, %1, %2, %3 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<?x8xf32>, tensor<2x4xf32>
}

// -----

// Shape values: a strided slice and a reshape of a small integer tensor fold.
// CHECK-LABEL: func @small_int_slice_reshape
// CHECK-DAG: %[[S:.*]] = mllm.constant dense<[6, 8]> : tensor<2xi64>
// CHECK-DAG: %[[R:.*]] = mllm.constant dense<{{\[}}[1, 8], [2, 3]]> : tensor<2x2xi64>
// CHECK: return %[[S]], %[[R]]
func.func @small_int_slice_reshape() -> (tensor<2xi64>, tensor<2x2xi64>) {
  %shape = mllm.constant dense<[1, 8, 2, 3, 4, 6]> : tensor<6xi64>
  %s = mllm.slice %shape starts = [5] ends = [0] steps = [-2] : tensor<6xi64> -> tensor<3xi64>
  %t = mllm.slice %s starts = [0] ends = [3] steps = [2] : tensor<3xi64> -> tensor<2xi64>
  %head = mllm.slice %shape starts = [0] ends = [4] steps = [1] : tensor<6xi64> -> tensor<4xi64>
  %r = mllm.reshape %head : tensor<4xi64> -> tensor<2x2xi64>
  return %t, %r : tensor<2xi64>, tensor<2x2xi64>
}

// -----

// Shape values: the TorchScript exporter's `expand(-1, ...)` computes
// Where(Equal(shape, -1), ones, shape); comparisons and selects of small 1-D
// integer tensors fold (unsigned operands compare unsigned). A 2-D mask stays
// an op: an i1 constant that is not a splat cannot become a weight.
// CHECK-LABEL: func @small_int_cmp_select
// CHECK-DAG: %[[W:.*]] = mllm.constant dense<[1, 1, 17]> : tensor<3xi64>
// CHECK-DAG: %[[U:.*]] = mllm.constant dense<[false, true]> : tensor<2xi1>
// CHECK-DAG: %[[M:.*]] = mllm.cmp le
// CHECK: return %[[W]], %[[U]], %[[M]]
func.func @small_int_cmp_select() -> (tensor<3xi64>, tensor<2xi1>, tensor<2x2xi1>) {
  %shape = mllm.constant dense<[-1, -1, 17]> : tensor<3xi64>
  %minus1 = mllm.constant dense<-1> : tensor<3xi64>
  %ones = mllm.constant dense<1> : tensor<3xi64>
  %eq = mllm.cmp eq, %shape, %minus1 : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %w = mllm.select %eq, %ones, %shape : (tensor<3xi1>, tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %a = mllm.constant dense<[1, 255]> : tensor<2xui8>
  %b = mllm.constant dense<2> : tensor<ui8>
  %u = mllm.cmp gt, %a, %b : (tensor<2xui8>, tensor<ui8>) -> tensor<2xi1>
  %rows = mllm.constant dense<[[0], [1]]> : tensor<2x1xi64>
  %cols = mllm.constant dense<[0, 1]> : tensor<2xi64>
  %m = mllm.cmp le, %cols, %rows : (tensor<2xi64>, tensor<2x1xi64>) -> tensor<2x2xi1>
  return %w, %u, %m : tensor<3xi64>, tensor<2xi1>, tensor<2x2xi1>
}

// -----

// Remainders of small integer tensors fold with the dividend's sign; a zero
// divisor is left to run time.
// CHECK-LABEL: func @rem_fold
// CHECK-DAG: %[[R:.*]] = mllm.constant dense<[1, -1, 1, -1]> : tensor<4xi64>
// CHECK-DAG: %[[Z:.*]] = mllm.rem
// CHECK: return %[[R]], %[[Z]]
func.func @rem_fold() -> (tensor<4xi64>, tensor<2xi64>) {
  %a = mllm.constant dense<[7, -7, 7, -7]> : tensor<4xi64>
  %b = mllm.constant dense<[3, 3, -3, -3]> : tensor<4xi64>
  %r = mllm.rem %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %c = mllm.constant dense<[5, 6]> : tensor<2xi64>
  %zero = mllm.constant dense<[2, 0]> : tensor<2xi64>
  %z = mllm.rem %c, %zero : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %r, %z : tensor<4xi64>, tensor<2xi64>
}

// -----

// A dense_resource weight is never copied by folding.
// CHECK-LABEL: func @resource
// CHECK: mllm.constant dense_resource<w> : tensor<2xf32>
// CHECK: mllm.transpose
func.func @resource() -> tensor<2x1xf32> {
  %w = mllm.constant dense_resource<w> : tensor<2xf32>
  %r = mllm.reshape %w : tensor<2xf32> -> tensor<1x2xf32>
  %0 = mllm.transpose %r permutation = [1, 0] : tensor<1x2xf32> -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
