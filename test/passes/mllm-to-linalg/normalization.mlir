// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// Stable softmax: max-reduce, exp(x - max), sum-reduce, divide.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
//  CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
//       CHECK: %[[MAX_INIT:.+]] = tensor.empty() : tensor<4xf32>
//       CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK: %[[MAX_FILL:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[MAX_INIT]] : tensor<4xf32>)
//       CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction"]}
//  CHECK-SAME:     ins(%[[X]] : tensor<4x8xf32>) outs(%[[MAX_FILL]] : tensor<4xf32>)
//       CHECK:   arith.maximumf
//       CHECK: %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[X]], %[[MAX]] : tensor<4x8xf32>, tensor<4xf32>)
//       CHECK:   ^bb0(%[[A:.+]]: f32, %[[M:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[D:.+]] = arith.subf %[[A]], %[[M]] : f32
//       CHECK:   math.exp %[[D]] : f32
//       CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[SUM_FILL:.+]] = linalg.fill ins(%[[ZERO]] : f32)
//       CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction"]}
//  CHECK-SAME:     ins(%[[EXP]] : tensor<4x8xf32>) outs(%[[SUM_FILL]] : tensor<4xf32>)
//       CHECK:   arith.addf
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[EXP]], %[[SUM]] : tensor<4x8xf32>, tensor<4xf32>)
//       CHECK:   arith.divf
//       CHECK: return %[[R]]
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = mllm.softmax %x axis = 1 : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// With zero_masked_rows, an all -inf row shifts by 0 (exp gives zeros) and
// divides by 1 (not 0 / 0).
// CHECK-LABEL: func.func @softmax_zero_masked_rows
//       CHECK: linalg.generic
//       CHECK:   arith.maximumf
//       CHECK: linalg.generic
//       CHECK:   %[[INF:.+]] = arith.cmpf oeq, %{{.+}}, %cst{{.*}} : f32
//       CHECK:   %[[SHIFT:.+]] = arith.select %[[INF]]
//       CHECK:   arith.subf %{{.+}}, %[[SHIFT]] : f32
//       CHECK:   math.exp
//       CHECK: linalg.generic
//       CHECK:   arith.addf
//       CHECK: linalg.generic
//       CHECK:   %[[EMPTY:.+]] = arith.cmpf oeq
//       CHECK:   %[[SUM:.+]] = arith.select %[[EMPTY]]
//       CHECK:   arith.divf %{{.+}}, %[[SUM]] : f32
func.func @softmax_zero_masked_rows(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = mllm.softmax %x axis = 1 {zero_masked_rows} : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Softmax over a middle axis of f16: exp and sum in f32, one truncation.
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax_f16_axis1
//       CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
//  CHECK-SAME:   outs(%{{.+}} : tensor<2x8xf32>)
//       CHECK:   arith.extf %{{.+}} : f16 to f32
//       CHECK:   arith.maximumf
//       CHECK: -> tensor<2x4x8xf32>
//       CHECK: iterator_types = ["parallel", "reduction", "parallel"]
//       CHECK:   arith.divf
//  CHECK-NEXT:   arith.truncf %{{.+}} : f32 to f16
//       CHECK: -> tensor<2x4x8xf16>
func.func @softmax_f16_axis1(%x: tensor<2x4x8xf16>) -> tensor<2x4x8xf16> {
  %r = mllm.softmax %x axis = 1 : tensor<2x4x8xf16>
  return %r : tensor<2x4x8xf16>
}

// -----

// layer_norm over [axis, rank): mean, then variance of (x - mean) in a second
// pass, both in f32; 1/N computed from the dynamic dim at run time.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[LAST:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm_f16
//  CHECK-SAME: (%[[X:.+]]: tensor<2x?x8xf16>, %[[G:.+]]: tensor<8xf16>, %[[B:.+]]: tensor<8xf16>)
//       CHECK: %[[DIM:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<2x?x8xf16>
//       CHECK: %[[C8:.+]] = arith.constant 8 : index
//       CHECK: %[[N:.+]] = arith.muli %[[DIM]], %[[C8]] : index
//       CHECK: %[[NI:.+]] = arith.index_cast %[[N]] : index to i64
//       CHECK: %[[NF:.+]] = arith.sitofp %[[NI]] : i64 to f32
//       CHECK: %[[INV:.+]] = arith.divf %{{.+}}, %[[NF]] : f32
//       CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "reduction"]}
//  CHECK-SAME:   ins(%[[X]] : tensor<2x?x8xf16>) outs(%{{.+}} : tensor<2xf32>)
//       CHECK:   arith.extf
//       CHECK:   arith.addf
//       CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]]], iterator_types = ["parallel", "reduction", "reduction"]}
//  CHECK-SAME:   ins(%[[X]], %[[SUM]] : tensor<2x?x8xf16>, tensor<2xf32>)
//       CHECK:   %[[MEAN:.+]] = arith.mulf %{{.+}}, %[[INV]] : f32
//       CHECK:   %[[XW:.+]] = arith.extf
//       CHECK:   %[[C:.+]] = arith.subf %[[XW]], %[[MEAN]] : f32
//       CHECK:   arith.mulf %[[C]], %[[C]] : f32
//       CHECK: %[[OUT:.+]] = tensor.empty(%[[DIM]]) : tensor<2x?x8xf16>
//       CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]], #[[LAST]], #[[LAST]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[X]], %[[SUM]], %[[SQ]], %[[G]], %[[B]] :
//       CHECK:   %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
//       CHECK:   %[[VE:.+]] = arith.addf %{{.+}}, %[[EPS]] : f32
//       CHECK:   math.rsqrt %[[VE]] : f32
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
func.func @layer_norm_f16(%x: tensor<2x?x8xf16>, %g: tensor<8xf16>, %b: tensor<8xf16>) -> tensor<2x?x8xf16> {
  %r = mllm.layer_norm %x, %g, %b axis = 1 epsilon = 1.0e-05 : (tensor<2x?x8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<2x?x8xf16>
  return %r : tensor<2x?x8xf16>
}

// -----

// Without bias; static shape: 1/N is a constant.
// CHECK-LABEL: func.func @layer_norm_no_bias
//       CHECK: %[[INV:.+]] = arith.constant 1.250000e-01 : f32
//       CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>)
func.func @layer_norm_no_bias(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %r = mllm.layer_norm %x, %g axis = 1 epsilon = 1.0e-05 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// rms_norm: x * rsqrt(mean(x^2) + eps) * scale.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[LAST:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @rms_norm
//  CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>, %[[G:.+]]: tensor<8xf32>)
//       CHECK: %[[INV:.+]] = arith.constant 1.250000e-01 : f32
//       CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction"]}
//       CHECK:   ^bb0(%[[A:.+]]: f32, %[[ACC:.+]]: f32):
//       CHECK:   %[[A2:.+]] = arith.mulf %[[A]], %[[A]] : f32
//       CHECK:   arith.addf %[[ACC]], %[[A2]] : f32
//       CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[LAST]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[X]], %[[SQ]], %[[G]] :
//       CHECK:   ^bb0(%[[V:.+]]: f32, %[[S:.+]]: f32, %[[W:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[MS:.+]] = arith.mulf %[[S]], %[[INV]] : f32
//       CHECK:   %[[EPS:.+]] = arith.constant 9.99999997E-7 : f32
//       CHECK:   %[[MSE:.+]] = arith.addf %[[MS]], %[[EPS]] : f32
//       CHECK:   %[[RS:.+]] = math.rsqrt %[[MSE]] : f32
//       CHECK:   %[[N:.+]] = arith.mulf %[[V]], %[[RS]] : f32
//       CHECK:   %[[R:.+]] = arith.mulf %[[N]], %[[W]] : f32
//       CHECK:   linalg.yield %[[R]] : f32
func.func @rms_norm(%x: tensor<2x8xf32>, %g: tensor<8xf32>) -> tensor<2x8xf32> {
  %r = mllm.rms_norm %x, %g axis = 1 epsilon = 1.0e-06 : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}
