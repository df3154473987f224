// RUN: mllmc-opt --convert-mllm-to-linalg=flash-min-parallelism=1 --split-input-file %s | FileCheck %s
// With the default flash-min-parallelism (64), the decode step's 8
// iterations split their keys too.
// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s --check-prefix=SPLIT
// GPU targets take one query row per iteration (a thread each): 16 x 577
// iterations over [1, 64] score tiles.
// RUN: mllmc-opt --convert-mllm-to-linalg="flash-query-tile=1 flash-min-parallelism=1" --split-input-file %s | FileCheck %s --check-prefix=ONEROW
// RUN: not mllmc-opt --convert-mllm-to-linalg=flash-query-tile=0 %s 2>&1 | FileCheck %s --check-prefix=BAD

// ONEROW-LABEL: func.func @clip
//       ONEROW:   scf.forall (%{{.+}}) in (9232)
//       ONEROW:     memref.alloca() : memref<1x64xf32>
//   ONEROW-NOT:     memref<32x64xf32>
// ONEROW-LABEL: func.func @decode_gqa_f16
//       ONEROW:   scf.forall (%{{.+}}) in (8)

// BAD: flash-query-tile must be positive, got 0

// CLIP ViT-L/14-336 attention (16 heads, 577 tokens, head_dim 64).
// The flash-attention loop nest: an scf.forall over batch x heads x query
// tiles of 32 rows (16 x 19 = 304), an scf.for over whole key tiles of 64
// carrying the score tile, the running max m, the running sum l, the rescale
// factor alpha, the accumulator and the key-major score tile, and the
// partial last key tile (577 = 9 x 64 + 1) after the loop. No [577, 577]
// tensor appears: the tiles are stack buffers of the iteration ([32, 64]
// scores, [64, 32] key-major scores, [32] statistics, the query rows
// transposed [64, 32], the [32, 64] accumulator) cut to the tile's rows, and
// the normalized accumulator is copied into the result.
// Key-major scores (query tiles of several rows): the query rows are
// transposed once into a zeroed [D, Tq] tile and scaled there; each key tile
// then computes S^T = K_t . Q_t^T as a plain linalg.matmul into the [64, 32]
// tile (which the CPU register-tiles) and transposes the tile's rows into
// the [rows, 64] scores, with no elementwise step before the softmax (no
// mask, not causal).

// CHECK-DAG: #[[TILE:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @clip
//   CHECK-NOT: 577x577
//       CHECK: %[[OUT0:.+]] = tensor.empty() : tensor<1x16x577x64xf32>
//       CHECK: scf.forall (%[[T:.+]]) in (304) shared_outs(%[[OUT:.+]] = %[[OUT0]]) -> (tensor<1x16x577x64xf32>)
//       CHECK:   %[[QT:.+]] = arith.remui %[[T]], %{{.+}} : index
//       CHECK:   %[[BH:.+]] = arith.divui %[[T]], %{{.+}} : index
//       CHECK:   %[[H:.+]] = arith.remui %[[BH]], %{{.+}} : index
//       CHECK:   %[[B:.+]] = arith.divui %[[BH]], %{{.+}} : index
//       CHECK:   %[[Q0:.+]] = arith.muli %[[QT]], %{{.+}} : index
//       CHECK:   %[[ROWS:.+]] = arith.minsi
//       CHECK:   %[[QSLICE:.+]] = tensor.extract_slice %{{.+}}[%[[B]], %[[H]], %[[Q0]], 0] [1, 1, %[[ROWS]], 64] [1, 1, 1, 1] : tensor<1x16x577x64xf32> to tensor<?x64xf32>
//       CHECK:   memref.alloca() : memref<64x32xf32>
//       CHECK:   %[[QT0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<64x32xf32>)
//       CHECK:   %[[QTROWS:.+]] = tensor.extract_slice %[[QT0]][0, 0] [64, %[[ROWS]]] [1, 1] : tensor<64x32xf32> to tensor<64x?xf32>
//       CHECK:   %[[QTT:.+]] = linalg.transpose ins(%[[QSLICE]] : tensor<?x64xf32>) outs(%[[QTROWS]] : tensor<64x?xf32>) permutation = [1, 0]
//       CHECK:   %[[QTI:.+]] = tensor.insert_slice %[[QTT]] into %[[QT0]][0, 0] [64, %[[ROWS]]] [1, 1] : tensor<64x?xf32> into tensor<64x32xf32>
//       CHECK:   %[[QT:.+]] = linalg.generic {indexing_maps = [#[[TILE]]], iterator_types = ["parallel", "parallel"]} outs(%[[QTI]] : tensor<64x32xf32>)
//       CHECK:     arith.constant 1.250000e-01 : f32
//       CHECK:     arith.mulf
//       CHECK:   %[[STBUF:.+]] = memref.alloca() : memref<64x32xf32>
//       CHECK:   %[[ST0:.+]] = bufferization.to_tensor %[[STBUF]] restrict writable : memref<64x32xf32> to tensor<64x32xf32>
//       CHECK:   %[[SBUF:.+]] = memref.alloca() : memref<32x64xf32>
//       CHECK:   %[[STILE:.+]] = bufferization.to_tensor %[[SBUF]] restrict writable : memref<32x64xf32> to tensor<32x64xf32>
//       CHECK:   %[[S0:.+]] = tensor.extract_slice %[[STILE]][0, 0] [%[[ROWS]], 64] [1, 1] : tensor<32x64xf32> to tensor<?x64xf32>
//       CHECK:   memref.alloca() : memref<32xf32>
//       CHECK:   %[[M0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?xf32>)
//       CHECK:   %[[L0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?xf32>)
//       CHECK:   %[[ACC0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<?x64xf32>)
//       CHECK:   %[[LOOP:.+]]:6 = scf.for %[[K0:.+]] = %c0{{.*}} to %c576{{.*}} step %c64{{.*}} iter_args(%[[S:.+]] = %[[S0]], %[[M:.+]] = %[[M0]], %[[L:.+]] = %[[L0]], %[[A:.+]] = %{{.+}}, %[[ACC:.+]] = %[[ACC0]], %[[ST:.+]] = %[[ST0]]) -> (tensor<?x64xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x64xf32>, tensor<64x32xf32>)
//       CHECK:     %[[KTILE:.+]] = tensor.extract_slice %{{.+}}[%[[B]], %[[H]], %[[K0]], 0] [1, 1, 64, 64] [1, 1, 1, 1] : tensor<1x16x577x64xf32> to tensor<64x64xf32>
//       CHECK:     %[[VTILE:.+]] = tensor.extract_slice %{{.+}}[%[[B]], %[[H]], %[[K0]], 0] [1, 1, 64, 64] [1, 1, 1, 1] : tensor<1x16x577x64xf32> to tensor<64x64xf32>
//       CHECK:     %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[ST]] : tensor<64x32xf32>)
//       CHECK:     %[[QK:.+]] = linalg.matmul ins(%[[KTILE]], %[[QT]] : tensor<64x64xf32>, tensor<64x32xf32>) outs(%[[ZERO]] : tensor<64x32xf32>)
//       CHECK:     %[[QKROWS:.+]] = tensor.extract_slice %[[QK]][0, 0] [64, %[[ROWS]]] [1, 1] : tensor<64x32xf32> to tensor<64x?xf32>
//       CHECK:     %[[SCALED:.+]] = linalg.transpose ins(%[[QKROWS]] : tensor<64x?xf32>) outs(%[[S]] : tensor<?x64xf32>) permutation = [1, 0]
//   CHECK-NOT:     arith.mulf
//       CHECK:     %[[NEG:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[A]] : tensor<?xf32>)
//       CHECK:     %[[ROWMAX:.+]] = linalg.generic {indexing_maps = [#[[TILE]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[SCALED]] : tensor<?x64xf32>) outs(%[[NEG]] : tensor<?xf32>)
//       CHECK:       arith.maximumf
//       CHECK:     %[[STATS:.+]]:3 = linalg.generic {{.+}} iterator_types = ["parallel"]} outs(%[[ROWMAX]], %[[M]], %[[L]] : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>)
//       CHECK:     ^bb0(%[[RM:.+]]: f32, %[[OLD:.+]]: f32, %[[SUM:.+]]: f32):
//       CHECK:       %[[NEW:.+]] = arith.maximumf %[[OLD]], %[[RM]] : f32
//       CHECK:       %[[SHIFT:.+]] = arith.select %{{.+}}, %{{.+}}, %[[NEW]] : f32
//       CHECK:       %[[DIFF:.+]] = arith.subf %[[OLD]], %[[SHIFT]] : f32
//       CHECK:       %[[ALPHA:.+]] = math.exp %[[DIFF]] : f32
//       CHECK:       %[[RESCALED:.+]] = arith.mulf %[[SUM]], %[[ALPHA]] : f32
//       CHECK:       linalg.yield %[[ALPHA]], %[[NEW]], %[[RESCALED]] : f32, f32, f32
//       CHECK:     %[[P:.+]] = linalg.generic {indexing_maps = [#[[ROW]], #[[TILE]]], iterator_types = ["parallel", "parallel"]} ins(%[[STATS]]#1 : tensor<?xf32>) outs(%[[SCALED]] : tensor<?x64xf32>)
//       CHECK:       math.exp
//       CHECK:     %[[NEWL:.+]] = linalg.generic {indexing_maps = [#[[TILE]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[P]] : tensor<?x64xf32>) outs(%[[STATS]]#2 : tensor<?xf32>)
//       CHECK:       arith.addf
//       CHECK:     %[[SCALEDACC:.+]] = linalg.generic {indexing_maps = [#[[ROW]], #[[TILE]]], iterator_types = ["parallel", "parallel"]} ins(%[[STATS]]#0 : tensor<?xf32>) outs(%[[ACC]] : tensor<?x64xf32>)
//       CHECK:       arith.mulf
//       CHECK:     %[[PV:.+]] = linalg.matmul ins(%[[P]], %[[VTILE]] : tensor<?x64xf32>, tensor<64x64xf32>) outs(%[[SCALEDACC]] : tensor<?x64xf32>)
//       CHECK:     scf.yield %[[P]], %[[STATS]]#1, %[[NEWL]], %[[STATS]]#0, %[[PV]], %[[QK]]
// The last key, 576, outside the loop on a [rows, 1] slice of the score tile.
//       CHECK:   tensor.extract_slice %{{.+}}[%[[B]], %[[H]], 576, 0] [1, 1, 1, 64] [1, 1, 1, 1] : tensor<1x16x577x64xf32> to tensor<1x64xf32>
//       CHECK:   tensor.extract_slice %[[LOOP]]#0[0, 0] [%[[ROWS]], 1] [1, 1] : tensor<?x64xf32> to tensor<?x1xf32>
//       CHECK:   tensor.extract_slice %[[LOOP]]#5[0, 0] [1, 32] [1, 1] : tensor<64x32xf32> to tensor<1x32xf32>
//       CHECK:   linalg.matmul ins(%{{.+}}, %[[QT]] : tensor<1x64xf32>, tensor<64x32xf32>) outs(%{{.+}} : tensor<1x32xf32>)
//       CHECK:   linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<?x1xf32>, tensor<1x64xf32>)
// out = l == 0 ? 0 : acc / l on the stack tile, copied into the result.
//       CHECK:   %[[NORM:.+]] = linalg.generic
//       CHECK:     arith.divf
//       CHECK:     arith.select
//       CHECK:   %[[RTILE:.+]] = tensor.extract_slice %[[OUT]][%[[B]], %[[H]], %[[Q0]], 0] [1, 1, %[[ROWS]], 64] [1, 1, 1, 1] : tensor<1x16x577x64xf32> to tensor<?x64xf32>
//       CHECK:   %[[RESULT:.+]] = linalg.copy ins(%[[NORM]] : tensor<?x64xf32>) outs(%[[RTILE]] : tensor<?x64xf32>)
//       CHECK:   scf.forall.in_parallel
//       CHECK:     tensor.parallel_insert_slice %[[RESULT]] into %[[OUT]][%[[B]], %[[H]], %[[Q0]], 0] [1, 1, %[[ROWS]], 64] [1, 1, 1, 1] : tensor<?x64xf32> into tensor<1x16x577x64xf32>
//   CHECK-NOT: 577x577
func.func @clip(%q: tensor<1x16x577x64xf32>, %k: tensor<1x16x577x64xf32>, %v: tensor<1x16x577x64xf32>) -> tensor<1x16x577x64xf32> {
  %o = mllm.attention %q, %k, %v {num_heads = 16 : i64, num_kv_heads = 16 : i64, scale = 1.250000e-01 : f32}
      : (tensor<1x16x577x64xf32>, tensor<1x16x577x64xf32>, tensor<1x16x577x64xf32>) -> tensor<1x16x577x64xf32>
  return %o : tensor<1x16x577x64xf32>
}

// -----

// A causal f16 decode step with grouped-query heads (8 over 2).
// Query tiles of several rows (the CPU's) take the 4 query heads of each kv
// head as the 4 rows of one tile: Q [1, 8, 1, 64] is seen as [1, 2, 4, 64]
// (collapse and expand: the same bytes), so that the 2 iterations read each
// kv head's 2048 keys (32 tiles, no partial one) once, not once per query
// head; one query row sees every key, so no causal mask is built. f16
// operands are read as f32 (the scores stay dot products: key-major scores
// take f32 operands only), and the f32 accumulator is a [4, 64] stack tile,
// copied into the f16 result, which is seen as [1, 8, 1, 64] again.

// CHECK-LABEL: func.func @decode_gqa_f16
//   CHECK-NOT: 1x2048xf32
//       CHECK: %[[C:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2], [3]] : tensor<1x8x1x64xf16> into tensor<1x8x64xf16>
//       CHECK: %[[FOLDED:.+]] = tensor.expand_shape %[[C]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 2, 4, 64] : tensor<1x8x64xf16> into tensor<1x2x4x64xf16>
//       CHECK: %[[R:.+]] = scf.forall (%[[T:.+]]) in (2) shared_outs({{.+}}) -> (tensor<1x2x4x64xf16>)
//       CHECK:   %[[H:.+]] = arith.remui %[[T]], %c2{{.*}} : index
//       CHECK:   %[[B:.+]] = arith.divui %[[T]], %c2{{.*}} : index
//       CHECK:   tensor.extract_slice %[[FOLDED]][%[[B]], %[[H]], 0, 0] [1, 1, 4, 64] [1, 1, 1, 1] : tensor<1x2x4x64xf16> to tensor<4x64xf16>
//       CHECK:   memref.alloca() : memref<4x64xf32>
//       CHECK:   scf.for %[[K0:.+]] = %c0{{.*}} to %c2048{{.*}} step %c64{{.*}} iter_args
//       CHECK:     tensor.extract_slice %{{.+}}[%[[B]], %[[H]], %[[K0]], 0] [1, 1, 64, 64] [1, 1, 1, 1] : tensor<1x2x2048x64xf16> to tensor<64x64xf16>
//       CHECK:     tensor.extract_slice %{{.+}}[%[[B]], %[[H]], %[[K0]], 0] [1, 1, 64, 64] [1, 1, 1, 1] : tensor<1x2x2048x64xf16> to tensor<64x64xf16>
//       CHECK:     arith.extf %{{.+}} : f16 to f32
//   CHECK-NOT:     linalg.index
//       CHECK:     linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x64xf32>, tensor<64x64xf16>) outs(%{{.+}} : tensor<4x64xf32>)
//       CHECK:   linalg.copy ins(%{{.+}} : tensor<4x64xf32>) outs(%{{.+}} : tensor<4x64xf16>)
//       CHECK: %[[RC:.+]] = tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2], [3]] : tensor<1x2x4x64xf16> into tensor<1x8x64xf16>
//       CHECK: tensor.expand_shape %[[RC]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 8, 1, 64] : tensor<1x8x64xf16> into tensor<1x8x1x64xf16>
// Split keys (flash decoding): 2 kv heads x 32 splits of 64 keys (one tile)
// each, into partial m, l [1, 2, 4, 32] and acc [1, 2, 4, 32, 64]; then the
// combine: M = max over splits, L = sum of l exp(m - M), O = sum of
// acc exp(m - M), and O / L truncated to f16, seen as [1, 8, 1, 64].
// SPLIT-LABEL: func.func @decode_gqa_f16
//   SPLIT-NOT: 1x2048xf32
//       SPLIT: %[[FOLDED:.+]] = tensor.expand_shape %{{.+}} output_shape [1, 2, 4, 64]
//       SPLIT: %[[M0:.+]] = tensor.empty() : tensor<1x2x4x32xf32>
//       SPLIT: %[[L0:.+]] = tensor.empty() : tensor<1x2x4x32xf32>
//       SPLIT: %[[ACC0:.+]] = tensor.empty() : tensor<1x2x4x32x64xf32>
//       SPLIT: %[[P:.+]]:3 = scf.forall (%[[T:.+]]) in (64) shared_outs(%[[M:.+]] = %[[M0]], %[[L:.+]] = %[[L0]], %[[ACC:.+]] = %[[ACC0]])
//       SPLIT:   %[[SPLIT:.+]] = arith.remui %[[T]], %c32{{.*}} : index
//       SPLIT:   tensor.extract_slice %[[FOLDED]]
//       SPLIT:   %[[BEGIN:.+]] = arith.muli %[[SPLIT]], %c64{{.*}} : index
//       SPLIT:   scf.for %{{.+}} = %[[BEGIN]] to %{{.+}} step %c64
//       SPLIT:   scf.forall.in_parallel
//  SPLIT-NEXT:     tensor.parallel_insert_slice %{{.+}} into %[[M]][%{{.+}}, %{{.+}}, 0, %[[SPLIT]]] [1, 1, 4, 1]
//  SPLIT-NEXT:     tensor.parallel_insert_slice %{{.+}} into %[[L]][%{{.+}}, %{{.+}}, 0, %[[SPLIT]]] [1, 1, 4, 1]
//  SPLIT-NEXT:     tensor.parallel_insert_slice %{{.+}} into %[[ACC]][%{{.+}}, %{{.+}}, 0, %[[SPLIT]], 0] [1, 1, 4, 1, 64]
//       SPLIT: %[[MAX:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]]#0 : tensor<1x2x4x32xf32>) outs(%{{.+}} : tensor<1x2x4xf32>)
//       SPLIT:   arith.maximumf
//       SPLIT: %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]]#0, %[[P]]#1, %[[MAX]] : {{.+}}) outs(%{{.+}} : tensor<1x2x4xf32>)
//       SPLIT:   math.exp
//       SPLIT: %[[O:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[P]]#2, %[[P]]#0, %[[MAX]] : {{.+}}) outs(%{{.+}} : tensor<1x2x4x64xf32>)
//       SPLIT:   math.exp
//       SPLIT: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[O]], %[[SUM]] : tensor<1x2x4x64xf32>, tensor<1x2x4xf32>) outs(%{{.+}} : tensor<1x2x4x64xf16>)
//       SPLIT:   arith.divf
//       SPLIT:   arith.truncf
//       SPLIT: tensor.collapse_shape %[[Y]]
//       SPLIT: tensor.expand_shape %{{.+}} output_shape [1, 8, 1, 64]
func.func @decode_gqa_f16(%q: tensor<1x8x1x64xf16>, %k: tensor<1x2x2048x64xf16>, %v: tensor<1x2x2048x64xf16>) -> tensor<1x8x1x64xf16> {
  %o = mllm.attention %q, %k, %v {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32}
      : (tensor<1x8x1x64xf16>, tensor<1x2x2048x64xf16>, tensor<1x2x2048x64xf16>) -> tensor<1x8x1x64xf16>
  return %o : tensor<1x8x1x64xf16>
}

// -----

// A boolean padding mask [B, 1, 1, Skv] broadcast over heads and rows.
// Skv = 100: one whole key tile and a partial one of 36, both without a
// loop. The [2, 1, 1, 100] mask is sliced at the batch and the key tile and
// read at (0, 0, 0, j); masked scores become -inf.

// CHECK-DAG: #[[MASK:.+]] = affine_map<(d0, d1) -> (0, 0, 0, d1)>
// CHECK-LABEL: func.func @bool_mask
//   CHECK-NOT: scf.for {{.*}} step
//       CHECK: scf.forall (%{{.+}}) in (16)
//       CHECK:   %[[M1:.+]] = tensor.extract_slice %{{.+}}[%[[B:.+]], 0, 0, 0] [1, 1, 1, 64] [1, 1, 1, 1] : tensor<2x1x1x100xi1> to tensor<1x1x1x64xi1>
//       CHECK:   linalg.generic {indexing_maps = [#[[MASK]], #{{.+}}], iterator_types = ["parallel", "parallel"]} ins(%[[M1]] : tensor<1x1x1x64xi1>) outs(%{{.+}} : tensor<32x64xf32>)
//       CHECK:     arith.select %{{.+}}, %{{.+}}, %cst{{.*}} : f32
//       CHECK:   tensor.extract_slice %{{.+}}[%[[B]], 0, 0, 64] [1, 1, 1, 36] [1, 1, 1, 1] : tensor<2x1x1x100xi1> to tensor<1x1x1x36xi1>
//   CHECK-NOT: scf.for {{.*}} step
func.func @bool_mask(%q: tensor<2x4x64x16xf32>, %k: tensor<2x4x100x16xf32>, %v: tensor<2x4x100x16xf32>, %m: tensor<2x1x1x100xi1>) -> tensor<2x4x64x16xf32> {
  %o = mllm.attention %q, %k, %v mask %m {num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 2.500000e-01 : f32}
      : (tensor<2x4x64x16xf32>, tensor<2x4x100x16xf32>, tensor<2x4x100x16xf32>, tensor<2x1x1x100xi1>) -> tensor<2x4x64x16xf32>
  return %o : tensor<2x4x64x16xf32>
}

// -----

// Causal prefill over 128 tokens (2 heads x 4 query tiles of 32 rows). Per
// query tile starting at row q0, the keys end after q0 + 32; the whole key
// tiles that the tile's top row sees whole (keys below q0 + 1, rounded down
// to whole tiles of 64) run first without the causal mask (no scores step at
// all: the scale is on the transposed query rows), then the other whole
// tiles with it, then the partial tile.

// CHECK-LABEL: func.func @causal_prefill
//       CHECK: scf.forall (%{{.+}}) in (8)
//       CHECK:   %[[Q0:.+]] = arith.muli %{{.+}}, %c32{{.*}} : index
//       CHECK:   %[[END:.+]] = arith.addi %[[Q0]], %c32{{.*}} : index
//       CHECK:   %[[WHOLE:.+]] = arith.muli %{{.+}}, %c64{{.*}} : index
//       CHECK:   %[[TOP:.+]] = arith.addi %[[Q0]], %c1{{.*}} : index
//       CHECK:   arith.minsi %[[WHOLE]], %[[TOP]] : index
//       CHECK:   %[[UNMASKED:.+]] = arith.muli %{{.+}}, %c64{{.*}} : index
//       CHECK:   scf.for %{{.+}} = %c0{{.*}} to %[[UNMASKED]] step %c64
//       CHECK:     linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<64x64xf32>, tensor<64x32xf32>) outs(%{{.+}} : tensor<64x32xf32>)
//       CHECK:     linalg.transpose
//   CHECK-NOT:     linalg.index
//       CHECK:     math.exp
//   CHECK-NOT:     linalg.index
//       CHECK:     scf.yield
//       CHECK:   scf.for %{{.+}} = %[[UNMASKED]] to %[[WHOLE]] step %c64
//       CHECK:     linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<64x64xf32>, tensor<64x32xf32>) outs(%{{.+}} : tensor<64x32xf32>)
//       CHECK:     linalg.transpose
//       CHECK:     linalg.index 0
//       CHECK:     arith.cmpi sgt
//       CHECK:     scf.yield
//       CHECK:   scf.for %{{.+}} = %[[WHOLE]] to %{{.+}} step %c64
//       CHECK:     linalg.index 0
func.func @causal_prefill(%q: tensor<1x2x128x64xf32>, %k: tensor<1x2x128x64xf32>, %v: tensor<1x2x128x64xf32>) -> tensor<1x2x128x64xf32> {
  %o = mllm.attention %q, %k, %v {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 1.250000e-01 : f32}
      : (tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>) -> tensor<1x2x128x64xf32>
  return %o : tensor<1x2x128x64xf32>
}
