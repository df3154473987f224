// RUN: mllmc-opt --convert-mllm-to-linalg --split-input-file %s | FileCheck %s

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @neg
//  CHECK-SAME: (%[[A:.+]]: tensor<2x4xf32>, %[[B:.+]]: tensor<4xi32>)
//       CHECK: %[[INIT:.+]] = tensor.empty() : tensor<2x4xf32>
//       CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[A]] : tensor<2x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
//       CHECK:   arith.negf
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
//       CHECK:   arith.subi %[[ZERO]], %{{.+}} : i32
func.func @neg(%a: tensor<2x4xf32>, %b: tensor<4xi32>) -> (tensor<2x4xf32>, tensor<4xi32>) {
  %0 = mllm.neg %a : tensor<2x4xf32>
  %1 = mllm.neg %b : tensor<4xi32>
  return %0, %1 : tensor<2x4xf32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @math
//       CHECK: math.absf
//       CHECK: math.absi
//       CHECK: math.log
//       CHECK: math.sqrt
//       CHECK: math.rsqrt
//       CHECK: math.erf
//       CHECK: math.tanh
func.func @math(%f: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = mllm.abs %f : tensor<4xf32>
  %1 = mllm.abs %i : tensor<4xi32>
  %2 = mllm.log %f : tensor<4xf32>
  %3 = mllm.sqrt %f : tensor<4xf32>
  %4 = mllm.rsqrt %f : tensor<4xf32>
  %5 = mllm.erf %f : tensor<4xf32>
  %6 = mllm.tanh %f : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Transcendentals on f16 compute in f32 and round back once.
// CHECK-LABEL: func.func @exp_f16
//       CHECK:   ^bb0(%[[X:.+]]: f16, %{{.+}}: f16):
//       CHECK:   %[[W:.+]] = arith.extf %[[X]] : f16 to f32
//       CHECK:   %[[E:.+]] = math.exp %[[W]] : f32
//       CHECK:   %[[R:.+]] = arith.truncf %[[E]] : f32 to f16
//       CHECK:   linalg.yield %[[R]] : f16
func.func @exp_f16(%a: tensor<4xf16>) -> tensor<4xf16> {
  %0 = mllm.exp %a : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @reciprocal
//       CHECK:   ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//       CHECK:   arith.divf %[[ONE]], %[[X]] : f32
func.func @reciprocal(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mllm.reciprocal %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// sigmoid(x) = 1 / (1 + exp(-x))
// CHECK-LABEL: func.func @sigmoid
//       CHECK:   ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//       CHECK:   %[[NEG:.+]] = arith.negf %[[X]] : f32
//       CHECK:   %[[EXP:.+]] = math.exp %[[NEG]] : f32
//       CHECK:   %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]] : f32
//       CHECK:   %[[R:.+]] = arith.divf %[[ONE]], %[[DEN]] : f32
//       CHECK:   linalg.yield %[[R]] : f32
func.func @sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mllm.sigmoid %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu
//       CHECK:   %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK:   arith.maximumf %{{.+}}, %[[Z]] : f32
//       CHECK:   %[[ZI:.+]] = arith.constant 0 : i32
//       CHECK:   arith.maxsi %{{.+}}, %[[ZI]] : i32
func.func @relu(%a: tensor<4xf32>, %b: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = mllm.relu %a : tensor<4xf32>
  %1 = mllm.relu %b : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// gelu (erf form): 0.5 * x * (1 + erf(x / sqrt(2)))
// CHECK-LABEL: func.func @gelu
//       CHECK:   ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//   CHECK-DAG:   %[[HALF:.+]] = arith.constant 5.000000e-01 : f32
//   CHECK-DAG:   %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//   CHECK-DAG:   %[[RSQRT2:.+]] = arith.constant 0.707106769 : f32
//       CHECK:   %[[S:.+]] = arith.mulf %[[X]], %[[RSQRT2]] : f32
//       CHECK:   %[[ERF:.+]] = math.erf %[[S]] : f32
//       CHECK:   %[[HX:.+]] = arith.mulf %[[HALF]], %[[X]] : f32
//       CHECK:   %[[P:.+]] = arith.addf %[[ONE]], %[[ERF]] : f32
//       CHECK:   %[[R:.+]] = arith.mulf %[[HX]], %[[P]] : f32
//       CHECK:   linalg.yield %[[R]] : f32
func.func @gelu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mllm.gelu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// gelu (tanh form): 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))),
// computed in f32 for bf16.
// CHECK-LABEL: func.func @gelu_tanh_bf16
//       CHECK:   ^bb0(%[[IN:.+]]: bf16, %{{.+}}: bf16):
//       CHECK:   %[[X:.+]] = arith.extf %[[IN]] : bf16 to f32
//       CHECK:   %[[X2:.+]] = arith.mulf %[[X]], %[[X]] : f32
//       CHECK:   %[[X3:.+]] = arith.mulf %[[X]], %[[X2]] : f32
//       CHECK:   %[[C:.+]] = arith.constant 4.471500e-02 : f32
//       CHECK:   %[[CX3:.+]] = arith.mulf %[[C]], %[[X3]] : f32
//       CHECK:   %[[POLY:.+]] = arith.addf %[[X]], %[[CX3]] : f32
//       CHECK:   %[[K:.+]] = arith.constant 0.797884583 : f32
//       CHECK:   %[[ARG:.+]] = arith.mulf %[[K]], %[[POLY]] : f32
//       CHECK:   math.tanh %[[ARG]] : f32
//       CHECK:   arith.truncf %{{.+}} : f32 to bf16
func.func @gelu_tanh_bf16(%a: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = mllm.gelu %a approximate = tanh : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

// quick_gelu(x) = x * sigmoid(1.702 x); silu(x) = x * sigmoid(x).
// CHECK-LABEL: func.func @quick_gelu_silu
//       CHECK:   ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[K:.+]] = arith.constant 1.702000e+00 : f32
//       CHECK:   %[[KX:.+]] = arith.mulf %[[K]], %[[X]] : f32
//       CHECK:   arith.negf %[[KX]] : f32
//       CHECK:   %[[SIG:.+]] = arith.divf
//       CHECK:   arith.mulf %[[X]], %[[SIG]] : f32
//       CHECK:   ^bb0(%[[Y:.+]]: f32, %{{.+}}: f32):
//       CHECK:   arith.negf %[[Y]] : f32
//       CHECK:   %[[SIG2:.+]] = arith.divf
//       CHECK:   arith.mulf %[[Y]], %[[SIG2]] : f32
func.func @quick_gelu_silu(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = mllm.quick_gelu %a : tensor<4xf32>
  %1 = mllm.silu %a : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @not
//       CHECK:   %[[T:.+]] = arith.constant true
//       CHECK:   arith.xori %{{.+}}, %[[T]] : i1
func.func @not(%a: tensor<4xi1>) -> tensor<4xi1> {
  %0 = mllm.not %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @cast
//       CHECK: arith.truncf %{{.+}} : f32 to f16
//       CHECK: arith.extf %{{.+}} : f16 to f32
//       CHECK: arith.sitofp %{{.+}} : i64 to f32
//       CHECK: arith.uitofp %{{.+}} : i1 to f32
//       CHECK: arith.fptosi %{{.+}} : f32 to i32
//       CHECK: %[[FZ:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: arith.cmpf une, %{{.+}}, %[[FZ]] : f32
//       CHECK: arith.extsi %{{.+}} : i32 to i64
//       CHECK: arith.trunci %{{.+}} : i64 to i32
//       CHECK: arith.extui %{{.+}} : i1 to i64
//       CHECK: %[[IZ:.+]] = arith.constant 0 : i64
//       CHECK: arith.cmpi ne, %{{.+}}, %[[IZ]] : i64
//       CHECK: %[[W:.+]] = arith.extf %{{.+}} : f16 to f32
//       CHECK: arith.truncf %[[W]] : f32 to bf16
func.func @cast(%f: tensor<4xf32>, %h: tensor<4xf16>, %i: tensor<4xi64>, %b: tensor<4xi1>, %j: tensor<4xi32>) {
  %0 = mllm.cast %f : tensor<4xf32> to tensor<4xf16>
  %1 = mllm.cast %h : tensor<4xf16> to tensor<4xf32>
  %2 = mllm.cast %i : tensor<4xi64> to tensor<4xf32>
  %3 = mllm.cast %b : tensor<4xi1> to tensor<4xf32>
  %4 = mllm.cast %f : tensor<4xf32> to tensor<4xi32>
  %5 = mllm.cast %f : tensor<4xf32> to tensor<4xi1>
  %6 = mllm.cast %j : tensor<4xi32> to tensor<4xi64>
  %7 = mllm.cast %i : tensor<4xi64> to tensor<4xi32>
  %8 = mllm.cast %b : tensor<4xi1> to tensor<4xi64>
  %9 = mllm.cast %i : tensor<4xi64> to tensor<4xi1>
  %10 = mllm.cast %h : tensor<4xf16> to tensor<4xbf16>
  return
}
