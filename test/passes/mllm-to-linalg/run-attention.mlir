// REQUIRES: mlir-runner
// RUN: mllmc-opt %lower-to-cpu %s | %run-main | FileCheck %s
// RUN: mllmc-opt --convert-mllm-to-linalg=flash-attention=false %lower-to-cpu %s | %run-main | FileCheck %s

// Attention lowered to loops and run on the CPU, against a numpy reference
// (B = 1, H = 2, S = 3, D = 2): the flash-attention loop nest (default) and
// the decomposition give the same numbers.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<1x2x?x2xf32>) {
  %u = tensor.cast %t : tensor<1x2x?x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %q = arith.constant dense<[[[[-1.25, -1.0], [-0.75, -0.5], [-0.25, 0.0]], [[0.25, 0.5], [0.75, 1.0], [1.25, 1.5]]]]> : tensor<1x2x3x2xf32>
  %k = arith.constant dense<[[[[-0.9, -1.2], [-0.3, -0.6], [0.3, 0.0]], [[0.9, 0.6], [1.5, 1.2], [2.1, 1.8]]]]> : tensor<1x2x3x2xf32>
  %v = arith.constant dense<[[[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [[6.0, 7.0], [8.0, 9.0], [10.0, 11.0]]]]> : tensor<1x2x3x2xf32>

  // Causal MHA: row 0 sees key 0 only, row 2 sees all.
  // CHECK: {{\[}}[0,     1],
  // CHECK-NEXT: [0.740882,     1.74088],
  // CHECK-NEXT: [1.85884,     2.85884]],
  // CHECK-NEXT: {{\[}}[6,     7],
  // CHECK-NEXT: [7.35506,     8.35506],
  // CHECK-NEXT: [9.2824,     10.2824]]]]
  %o = mllm.attention %q, %k, %v {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.7071 : f32}
      : (tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  %od = tensor.cast %o : tensor<1x2x3x2xf32> to tensor<1x2x?x2xf32>
  call @print(%od) : (tensor<1x2x?x2xf32>) -> ()

  // GQA: both query heads read kv head 0; the i1 padding mask hides key 2.
  // CHECK: {{\[}}[0.674756,     1.67476],
  // CHECK-NEXT: [0.814667,     1.81467],
  // CHECK-NEXT: [0.962518,     1.96252]],
  // CHECK-NEXT: {{\[}}[1.11203,     2.11203],
  // CHECK-NEXT: [1.25663,     2.25663],
  // CHECK-NEXT: [1.39059,     2.39059]]]]
  %k1 = mllm.slice %k starts = [0, 0, 0, 0] ends = [1, 1, 3, 2] steps = [1, 1, 1, 1] : tensor<1x2x3x2xf32> -> tensor<1x1x3x2xf32>
  %v1 = mllm.slice %v starts = [0, 0, 0, 0] ends = [1, 1, 3, 2] steps = [1, 1, 1, 1] : tensor<1x2x3x2xf32> -> tensor<1x1x3x2xf32>
  %pad = arith.constant dense<[[[[true, true, false]]]]> : tensor<1x1x1x3xi1>
  %g = mllm.attention %q, %k1, %v1 mask %pad {num_heads = 2 : i64, num_kv_heads = 1 : i64, scale = 0.5 : f32}
      : (tensor<1x2x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x1x3xi1>) -> tensor<1x2x3x2xf32>
  %gd = tensor.cast %g : tensor<1x2x3x2xf32> to tensor<1x2x?x2xf32>
  call @print(%gd) : (tensor<1x2x?x2xf32>) -> ()

  // A causal decode step (Sq = 1, Skv = 3) is bottom-right aligned: the new
  // token sees every key, as the last row above; f16 in and out.
  // CHECK: {{\[}}[1.8{{[0-9]+}},     2.8{{[0-9]+}}]],
  // CHECK-NEXT: {{\[}}[9.28{{[0-9]*}},     10.28{{[0-9]*}}]]]]
  %q1 = mllm.slice %q starts = [0, 0, 2, 0] ends = [1, 2, 3, 2] steps = [1, 1, 1, 1] : tensor<1x2x3x2xf32> -> tensor<1x2x1x2xf32>
  %qh = mllm.cast %q1 : tensor<1x2x1x2xf32> to tensor<1x2x1x2xf16>
  %kh = mllm.cast %k : tensor<1x2x3x2xf32> to tensor<1x2x3x2xf16>
  %vh = mllm.cast %v : tensor<1x2x3x2xf32> to tensor<1x2x3x2xf16>
  %dh = mllm.attention %qh, %kh, %vh {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.7071 : f32}
      : (tensor<1x2x1x2xf16>, tensor<1x2x3x2xf16>, tensor<1x2x3x2xf16>) -> tensor<1x2x1x2xf16>
  %d = mllm.cast %dh : tensor<1x2x1x2xf16> to tensor<1x2x1x2xf32>
  %dd = tensor.cast %d : tensor<1x2x1x2xf32> to tensor<1x2x?x2xf32>
  call @print(%dd) : (tensor<1x2x?x2xf32>) -> ()
  return
}
