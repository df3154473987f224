// RUN: mllmc-opt --convert-mllm-to-linalg=attention-kernel-min-queries=16 --split-input-file %s | FileCheck %s
// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s --check-prefix=OFF
// RUN: mllmc-opt --split-input-file %s | mllmc-opt --split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: mllmc-opt --convert-mllm-to-linalg=attention-kernel-min-queries=16 --one-shot-bufferize="bufferize-function-boundaries" --split-input-file %s | FileCheck %s --check-prefix=BUFFERS

// With a target that asks for it, attention with static shapes and enough
// query rows becomes mllm.kernel.attention into a fresh destination (the
// GPU targets' cooperative kernel); without, the flash loop nest lowers it.

// CHECK-LABEL: func.func @causal_gqa
// CHECK: %[[INIT:.+]] = tensor.empty() : tensor<1x8x128x64xf32>
// CHECK: %[[OUT:.+]] = mllm.kernel.attention ins(%arg0, %arg1, %arg2 : tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>) outs(%[[INIT]] : tensor<1x8x128x64xf32>) {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32} -> tensor<1x8x128x64xf32>
// CHECK: return %[[OUT]]
// OFF-LABEL: func.func @causal_gqa
// OFF-NOT: mllm.kernel.attention
// OFF: scf.forall
// ROUND-LABEL: func.func @causal_gqa
// ROUND: mllm.attention
// BUFFERS-LABEL: func.func @causal_gqa
// BUFFERS-SAME: (%[[Q:.+]]: memref<1x8x128x64xf32
// BUFFERS: %[[DEST:.+]] = memref.alloc() {{.*}}: memref<1x8x128x64xf32>
// BUFFERS: mllm.kernel.attention ins(%[[Q]], %{{.+}}, %{{.+}} : memref<1x8x128x64xf32, {{.+}}>, memref<1x2x128x64xf32, {{.+}}>, memref<1x2x128x64xf32, {{.+}}>) outs(%[[DEST]] : memref<1x8x128x64xf32>) {causal
// BUFFERS-NOT: -> tensor
// BUFFERS: return %[[DEST]]
func.func @causal_gqa(%q: tensor<1x8x128x64xf32>, %k: tensor<1x2x128x64xf32>,
                      %v: tensor<1x2x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %o = mllm.attention %q, %k, %v {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}
      : (tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>) -> tensor<1x8x128x64xf32>
  return %o : tensor<1x8x128x64xf32>
}

// -----

// A mask (here a boolean padding mask) travels with it; f16 stays f16.
// CHECK-LABEL: func.func @masked_f16
// CHECK: mllm.kernel.attention ins(%arg0, %arg1, %arg2, %arg3 : tensor<2x4x40x32xf16>, tensor<2x4x300x32xf16>, tensor<2x4x300x32xf16>, tensor<2x1x1x300xi1>) outs(%{{.+}} : tensor<2x4x40x32xf16>)
func.func @masked_f16(%q: tensor<2x4x40x32xf16>, %k: tensor<2x4x300x32xf16>,
                      %v: tensor<2x4x300x32xf16>, %m: tensor<2x1x1x300xi1>) -> tensor<2x4x40x32xf16> {
  %o = mllm.attention %q, %k, %v mask %m {num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 0.176776692 : f32}
      : (tensor<2x4x40x32xf16>, tensor<2x4x300x32xf16>, tensor<2x4x300x32xf16>, tensor<2x1x1x300xi1>) -> tensor<2x4x40x32xf16>
  return %o : tensor<2x4x40x32xf16>
}

// -----

// A decode step (fewer than 16 query rows): the keys split into ranges of
// whole 32-key tiles so that batch x kv heads x ranges make some 256
// workgroups (here 1 x 2 x 16 over 512 keys: 32 keys each), each range's
// online softmax state is computed by mllm.kernel.attention_partial, and the
// flash-decoding combine merges them.
// CHECK-LABEL: func.func @decode
// CHECK-DAG: %[[M:.+]] = tensor.empty() : tensor<1x8x1x16xf32>
// CHECK-DAG: %[[A:.+]] = tensor.empty() : tensor<1x8x1x16x64xf32>
// CHECK: %[[P:.+]]:3 = mllm.kernel.attention_partial ins(%arg0, %arg1, %arg1 : tensor<1x8x1x64xf32>, tensor<1x2x512x64xf32>, tensor<1x2x512x64xf32>) outs(%{{.+}}, %{{.+}}, %[[A]] : tensor<1x8x1x16xf32>, tensor<1x8x1x16xf32>, tensor<1x8x1x16x64xf32>) {num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32}
// CHECK: linalg.generic {{.*}} ins(%[[P]]#0 :
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: return
// OFF-LABEL: func.func @decode
// OFF-NOT: mllm.kernel
func.func @decode(%q: tensor<1x8x1x64xf32>, %k: tensor<1x2x512x64xf32>) -> tensor<1x8x1x64xf32> {
  %a = mllm.attention %q, %k, %k {num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}
      : (tensor<1x8x1x64xf32>, tensor<1x2x512x64xf32>, tensor<1x2x512x64xf32>) -> tensor<1x8x1x64xf32>
  return %a : tensor<1x8x1x64xf32>
}

// -----

// Near misses stay with the flash loop nest: a value head dimension not a
// multiple of 32, a dynamic sequence, f64, and a decode step whose heads
// sharing a kv head have more query rows (64 x 2) than a tile holds (64).
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: mllm.kernel
// CHECK: return
func.func @near_misses(%q80: tensor<1x8x64x80xf32>, %k80: tensor<1x8x64x80xf32>,
                       %qd: tensor<1x8x?x64xf32>, %kd: tensor<1x8x?x64xf32>,
                       %q64: tensor<1x2x64x64xf64>,
                       %qm: tensor<1x64x2x64xf32>, %km: tensor<1x1x512x64xf32>)
    -> (tensor<1x8x64x80xf32>, tensor<1x8x?x64xf32>, tensor<1x2x64x64xf64>, tensor<1x64x2x64xf32>) {
  %b = mllm.attention %q80, %k80, %k80 {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32}
      : (tensor<1x8x64x80xf32>, tensor<1x8x64x80xf32>, tensor<1x8x64x80xf32>) -> tensor<1x8x64x80xf32>
  %c = mllm.attention %qd, %kd, %kd {num_heads = 8 : i64, num_kv_heads = 8 : i64, scale = 0.125 : f32}
      : (tensor<1x8x?x64xf32>, tensor<1x8x?x64xf32>, tensor<1x8x?x64xf32>) -> tensor<1x8x?x64xf32>
  %d = mllm.attention %q64, %q64, %q64 {num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}
      : (tensor<1x2x64x64xf64>, tensor<1x2x64x64xf64>, tensor<1x2x64x64xf64>) -> tensor<1x2x64x64xf64>
  %e = mllm.attention %qm, %km, %km {num_heads = 64 : i64, num_kv_heads = 1 : i64, scale = 0.125 : f32}
      : (tensor<1x64x2x64xf32>, tensor<1x1x512x64xf32>, tensor<1x1x512x64xf32>) -> tensor<1x64x2x64xf32>
  return %b, %c, %d, %e : tensor<1x8x64x80xf32>, tensor<1x8x?x64xf32>, tensor<1x2x64x64xf64>, tensor<1x64x2x64xf32>
}
