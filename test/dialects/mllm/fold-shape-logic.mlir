// RUN: mllmc-opt %s --canonicalize --split-input-file | FileCheck %s

// Logic and casts on shape values fold: the expanded ONNX Attention function
// computes its GQA interleave factor as Where(And(Not(Equal(hq, hkv)),
// Equal(Mod(hq, hkv), 0)), Cast(Div(hq, hkv)), 1) on 1-D shape slices.

// CHECK-LABEL: func @logic
// CHECK-DAG: %[[AND:.*]] = mllm.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-DAG: %[[OR:.*]] = mllm.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-DAG: %[[NOT:.*]] = mllm.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: %[[SPLAT:.*]] = mllm.constant dense<false> : tensor<2x2xi1>
// CHECK: return %[[AND]], %[[OR]], %[[NOT]], %[[SPLAT]]
func.func @logic() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<2x2xi1>) {
  %a = mllm.constant dense<[true, false, true]> : tensor<3xi1>
  %b = mllm.constant dense<[false, false, true]> : tensor<3xi1>
  %0 = mllm.and %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %1 = mllm.or %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %2 = mllm.not %a : tensor<3xi1>
  %t = mllm.constant dense<true> : tensor<2x2xi1>
  %3 = mllm.not %t : tensor<2x2xi1>
  return %0, %1, %2, %3 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<2x2xi1>
}

// -----

// x && true = x and x || false = x, unless the result is wider than x.
// CHECK-LABEL: func @logic_identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xi1>)
// CHECK: %[[B:.*]] = mllm.and %[[X]], %{{.*}} : (tensor<4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
// CHECK: return %[[X]], %[[X]], %[[B]]
func.func @logic_identities(%x: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<2x4xi1>) {
  %t = mllm.constant dense<true> : tensor<i1>
  %f = mllm.constant dense<false> : tensor<4xi1>
  %0 = mllm.and %t, %x : (tensor<i1>, tensor<4xi1>) -> tensor<4xi1>
  %1 = mllm.or %x, %f : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %wide = mllm.constant dense<true> : tensor<2x4xi1>
  %2 = mllm.and %x, %wide : (tensor<4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<2x4xi1>
}

// -----

// A 2-D mask that is not a splat stays an op: such an i1 constant cannot
// become a weight.
// CHECK-LABEL: func @logic_2d
// CHECK: mllm.and
// CHECK: mllm.not
func.func @logic_2d() -> (tensor<2x2xi1>, tensor<2x2xi1>) {
  %a = mllm.constant dense<[[true, false], [true, true]]> : tensor<2x2xi1>
  %b = mllm.constant dense<[[false, false], [true, true]]> : tensor<2x2xi1>
  %0 = mllm.and %a, %b : (tensor<2x2xi1>, tensor<2x2xi1>) -> tensor<2x2xi1>
  %1 = mllm.not %a : tensor<2x2xi1>
  return %0, %1 : tensor<2x2xi1>, tensor<2x2xi1>
}

// -----

// Small integer tensors cast elementwise (sign-extended, truncated, to
// float; i1 zero-extends); a cast to i1 that is not a splat stays an op.
// CHECK-LABEL: func @cast_small_int
// CHECK-DAG: %[[W:.*]] = mllm.constant dense<[-1, 300, 7]> : tensor<3xi64>
// CHECK-DAG: %[[N:.*]] = mllm.constant dense<[-1, 44, 7]> : tensor<3xi8>
// CHECK-DAG: %[[F:.*]] = mllm.constant dense<[-1.000000e+00, 3.000000e+02, 7.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[B:.*]] = mllm.constant dense<[1, 0]> : tensor<2xi32>
// CHECK-DAG: %[[M:.*]] = mllm.cast %{{.*}} : tensor<3xi32> to tensor<3xi1>
// CHECK: return %[[W]], %[[N]], %[[F]], %[[B]], %[[M]]
func.func @cast_small_int() -> (tensor<3xi64>, tensor<3xi8>, tensor<3xf32>, tensor<2xi32>, tensor<3xi1>) {
  %i = mllm.constant dense<[-1, 300, 7]> : tensor<3xi32>
  %0 = mllm.cast %i : tensor<3xi32> to tensor<3xi64>
  %1 = mllm.cast %i : tensor<3xi32> to tensor<3xi8>
  %2 = mllm.cast %i : tensor<3xi32> to tensor<3xf32>
  %b = mllm.constant dense<[true, false]> : tensor<2xi1>
  %3 = mllm.cast %b : tensor<2xi1> to tensor<2xi32>
  %4 = mllm.cast %i : tensor<3xi32> to tensor<3xi1>
  return %0, %1, %2, %3, %4 : tensor<3xi64>, tensor<3xi8>, tensor<3xf32>, tensor<2xi32>, tensor<3xi1>
}

// -----

// The GQA interleave factor of the expanded Attention function: 4 query
// heads over 2 key/value heads give 2.
// CHECK-LABEL: func @gqa_interleave
// CHECK-NEXT: %[[R:.*]] = mllm.constant dense<2> : tensor<1xi64>
// CHECK-NEXT: return %[[R]]
func.func @gqa_interleave() -> tensor<1xi64> {
  %hq = mllm.constant dense<4> : tensor<1xi64>
  %hkv = mllm.constant dense<2> : tensor<1xi64>
  %zero = mllm.constant dense<0> : tensor<1xi64>
  %one = mllm.constant dense<1> : tensor<1xi64>
  %eq = mllm.cmp eq, %hq, %hkv : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %ne = mllm.not %eq : tensor<1xi1>
  %div = mllm.div %hq, %hkv : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %rem = mllm.rem %hq, %hkv : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %divides = mllm.cmp eq, %rem, %zero : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %cond = mllm.and %ne, %divides : (tensor<1xi1>, tensor<1xi1>) -> tensor<1xi1>
  %r = mllm.select %cond, %div, %one : (tensor<1xi1>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %r : tensor<1xi64>
}
