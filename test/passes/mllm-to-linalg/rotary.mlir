// RUN: mllmc-opt --convert-mllm-to-linalg --canonicalize --split-input-file %s | FileCheck %s

// LLaMA rotate-half RoPE on [B, H, S, D] with position ids: one generic over
// the result; the element pairs with i + R/2 (first half, x c - x' s) or
// i - R/2 (second half, x c + x' s); cos/sin are read at the position,
// clamped into the cache; elements past R = D copy through (never here).
// CHECK-LABEL: func.func @rope_positions
//  CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x4x3x8xf32>, %[[COS:[a-z0-9]+]]: tensor<50x4xf32>, %[[SIN:[a-z0-9]+]]: tensor<50x4xf32>, %[[POS:[a-z0-9]+]]: tensor<2x3xi64>
//   CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
//   CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
//   CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
//   CHECK-DAG: %[[C49:.+]] = arith.constant 49 : index
//       CHECK: linalg.generic
//  CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
//  CHECK-SAME: ins(%[[X]] : tensor<2x4x3x8xf32>)
//       CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[B:.+]] = linalg.index 0
//       CHECK:   %[[H:.+]] = linalg.index 1
//       CHECK:   %[[S:.+]] = linalg.index 2
//       CHECK:   %[[I:.+]] = linalg.index 3
//       CHECK:   %[[ROT:.+]] = arith.cmpi ult, %[[I]], %[[C8]]
//       CHECK:   %[[J:.+]] = arith.select %[[ROT]], %[[I]], %[[C0]]
//       CHECK:   %[[FIRST:.+]] = arith.cmpi ult, %[[J]], %[[C4]]
//       CHECK:   %[[JH:.+]] = arith.subi %[[J]], %[[C4]]
//       CHECK:   %[[K:.+]] = arith.select %[[FIRST]], %[[J]], %[[JH]]
//       CHECK:   %[[JP:.+]] = arith.addi %[[J]], %[[C4]]
//       CHECK:   %[[PARTNER:.+]] = arith.select %[[FIRST]], %[[JP]], %[[JH]]
//       CHECK:   %[[XP:.+]] = tensor.extract %[[X]][%[[B]], %[[H]], %[[S]], %[[PARTNER]]]
//       CHECK:   %[[P64:.+]] = tensor.extract %[[POS]][%[[B]], %[[S]]]
//       CHECK:   %[[P:.+]] = arith.index_cast %[[P64]] : i64 to index
//       CHECK:   %[[PLO:.+]] = arith.maxsi %[[P]], %[[C0]]
//       CHECK:   %[[PC:.+]] = arith.minsi %[[PLO]], %[[C49]]
//       CHECK:   %[[C:.+]] = tensor.extract %[[COS]][%[[PC]], %[[K]]]
//       CHECK:   %[[SN:.+]] = tensor.extract %[[SIN]][%[[PC]], %[[K]]]
//       CHECK:   %[[XC:.+]] = arith.mulf %[[IN]], %[[C]]
//       CHECK:   %[[PS:.+]] = arith.mulf %[[XP]], %[[SN]]
//   CHECK-DAG:   %[[ADD:.+]] = arith.addf %[[XC]], %[[PS]]
//   CHECK-DAG:   %[[SUB:.+]] = arith.subf %[[XC]], %[[PS]]
//       CHECK:   %[[OUT:.+]] = arith.select %[[FIRST]], %[[SUB]], %[[ADD]]
//       CHECK:   %[[R:.+]] = arith.select %[[ROT]], %[[OUT]], %[[IN]]
//       CHECK:   linalg.yield %[[R]]
func.func @rope_positions(%x: tensor<2x4x3x8xf32>, %cos: tensor<50x4xf32>, %sin: tensor<50x4xf32>, %pos: tensor<2x3xi64>) -> tensor<2x4x3x8xf32> {
  %0 = mllm.rotary_embedding %x, %cos, %sin positions %pos : (tensor<2x4x3x8xf32>, tensor<50x4xf32>, tensor<50x4xf32>, tensor<2x3xi64>) -> tensor<2x4x3x8xf32>
  return %0 : tensor<2x4x3x8xf32>
}

// -----

// Interleaved partial rotation of [B, S, H * D] (D = 8, R = 4) in f16 with
// per-token caches and a dynamic sequence: the head element is the last
// index mod D, pairs are (2k, 2k + 1), the cache column is i / 2, the math
// runs in f32.
// CHECK-LABEL: func.func @rope_interleaved_3d
//  CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x?x32xf16>, %[[COS:[a-z0-9]+]]: tensor<1x?x2xf16>, %[[SIN:[a-z0-9]+]]: tensor<1x?x2xf16>
//   CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
//   CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
//   CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
//   CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
//   CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
//       CHECK: %[[SEQ:.+]] = tensor.dim %[[X]], %[[C1]]
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[SEQ]]) : tensor<1x?x32xf16>
//       CHECK: linalg.generic
//  CHECK-SAME: ins(%[[X]] : tensor<1x?x32xf16>) outs(%[[INIT]] : tensor<1x?x32xf16>)
//       CHECK: ^bb0(%[[IN:.+]]: f16, %{{.+}}: f16):
//       CHECK:   %[[S:.+]] = linalg.index 1
//       CHECK:   %[[L:.+]] = linalg.index 2
//       CHECK:   %[[I:.+]] = arith.remui %[[L]], %[[C8]]
//       CHECK:   %[[HEAD:.+]] = arith.subi %[[L]], %[[I]]
//       CHECK:   %[[ROT:.+]] = arith.cmpi ult, %[[I]], %[[C4]]
//       CHECK:   %[[J:.+]] = arith.select %[[ROT]], %[[I]], %[[C0]]
//       CHECK:   %[[K:.+]] = arith.divui %[[J]], %[[C2]]
//       CHECK:   %[[ODD:.+]] = arith.remui %[[J]], %[[C2]]
//       CHECK:   %[[FIRST:.+]] = arith.cmpi eq, %[[ODD]], %[[C0]]
//   CHECK-DAG:   %[[PREV:.+]] = arith.subi %[[J]], %[[C1]]
//   CHECK-DAG:   %[[NEXT:.+]] = arith.addi %[[J]], %[[C1]]
//       CHECK:   %[[PARTNER:.+]] = arith.select %[[FIRST]], %[[NEXT]], %[[PREV]]
//       CHECK:   %[[COL:.+]] = arith.addi %[[HEAD]], %[[PARTNER]]
//       CHECK:   tensor.extract %[[X]][%[[C0]], %[[S]], %[[COL]]]
//       CHECK:   tensor.extract %[[COS]][%[[C0]], %[[S]], %[[K]]]
//       CHECK:   tensor.extract %[[SIN]][%[[C0]], %[[S]], %[[K]]]
//       CHECK:   arith.extf %[[IN]] : f16 to f32
//       CHECK:   %[[OUT:.+]] = arith.select %[[FIRST]]
//       CHECK:   %[[T:.+]] = arith.truncf %[[OUT]] : f32 to f16
//       CHECK:   %[[R:.+]] = arith.select %[[ROT]], %[[T]], %[[IN]]
//       CHECK:   linalg.yield %[[R]]
func.func @rope_interleaved_3d(%x: tensor<1x?x32xf16>, %cos: tensor<1x?x2xf16>, %sin: tensor<1x?x2xf16>) -> tensor<1x?x32xf16> {
  %0 = mllm.rotary_embedding %x, %cos, %sin interleaved rotary_embedding_dim = 4 num_heads = 4 : (tensor<1x?x32xf16>, tensor<1x?x2xf16>, tensor<1x?x2xf16>) -> tensor<1x?x32xf16>
  return %0 : tensor<1x?x32xf16>
}

// -----

// An offset position (ONNX Runtime's 1-element position_ids): the token's
// position is offset + s.
// CHECK-LABEL: func.func @rope_offset
//  CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<1x2x5x4xf32>, %[[COS:[a-z0-9]+]]: tensor<16x2xf32>, %{{[a-z0-9]+}}: tensor<16x2xf32>, %[[OFF:[a-z0-9]+]]: tensor<1xi32>
//       CHECK: linalg.generic
//       CHECK:   %[[S:.+]] = linalg.index 2
//       CHECK:   %[[O32:.+]] = tensor.extract %[[OFF]][%{{.+}}] : tensor<1xi32>
//       CHECK:   %[[O:.+]] = arith.index_cast %[[O32]] : i32 to index
//       CHECK:   %[[P:.+]] = arith.addi %[[O]], %[[S]]
//       CHECK:   arith.maxsi %[[P]]
func.func @rope_offset(%x: tensor<1x2x5x4xf32>, %cos: tensor<16x2xf32>, %sin: tensor<16x2xf32>, %off: tensor<1xi32>) -> tensor<1x2x5x4xf32> {
  %0 = mllm.rotary_embedding %x, %cos, %sin positions %off : (tensor<1x2x5x4xf32>, tensor<16x2xf32>, tensor<16x2xf32>, tensor<1xi32>) -> tensor<1x2x5x4xf32>
  return %0 : tensor<1x2x5x4xf32>
}
