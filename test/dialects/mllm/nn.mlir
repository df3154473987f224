// RUN: mllmc-opt %s | mllmc-opt | FileCheck %s
// RUN: mllmc-opt %s --mlir-print-op-generic | mllmc-opt | FileCheck %s

// Round trip of softmax, the norms and the contractions.

// CHECK-LABEL: func @softmax
func.func @softmax(%x: tensor<4x?xf32>) {
  // CHECK: mllm.softmax %{{.*}} axis = 1 : tensor<4x?xf32>
  %0 = mllm.softmax %x axis = 1 : tensor<4x?xf32>
  // CHECK: mllm.softmax %{{.*}} axis = 0 : tensor<4x?xf32>
  %1 = mllm.softmax %x axis = 0 : tensor<4x?xf32>
  // CHECK: mllm.softmax %{{.*}} axis = 1 {zero_masked_rows} : tensor<4x?xf32>
  %2 = mllm.softmax %x axis = 1 {zero_masked_rows} : tensor<4x?xf32>
  return
}

// CHECK-LABEL: func @norms
func.func @norms(%x: tensor<1x?x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>,
                 %g2: tensor<?x64xf32>, %h: tensor<2x8xf16>, %hg: tensor<8xf16>) {
  // CHECK: mllm.layer_norm %{{.*}}, %{{.*}}, %{{.*}} axis = 2 epsilon = 9.99999974E-6 : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %0 = mllm.layer_norm %x, %g, %b axis = 2 epsilon = 1.0e-05 : (tensor<1x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  // Without bias; normalizing two dimensions with a broadcast scale.
  // CHECK: mllm.layer_norm %{{.*}}, %{{.*}} axis = 1 epsilon = 1.000000e-03 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %1 = mllm.layer_norm %x, %g axis = 1 epsilon = 1.0e-03 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  // CHECK: mllm.layer_norm %{{.*}}, %{{.*}} axis = 1 epsilon = 0.000000e+00 : (tensor<1x?x64xf32>, tensor<?x64xf32>) -> tensor<1x?x64xf32>
  %2 = mllm.layer_norm %x, %g2 axis = 1 epsilon = 0.0 : (tensor<1x?x64xf32>, tensor<?x64xf32>) -> tensor<1x?x64xf32>
  // CHECK: mllm.rms_norm %{{.*}}, %{{.*}} axis = 2 epsilon = 9.99999997E-7 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  %3 = mllm.rms_norm %x, %g axis = 2 epsilon = 1.0e-06 : (tensor<1x?x64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  // CHECK: mllm.rms_norm %{{.*}}, %{{.*}} axis = 1 epsilon = 9.99999974E-6 : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  %4 = mllm.rms_norm %h, %hg axis = 1 epsilon = 1.0e-05 : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return
}

// CHECK-LABEL: func @matmul
func.func @matmul(%a: tensor<2x4x8x16xf32>, %w: tensor<16x32xf32>,
                  %b: tensor<4x16x?xf32>, %c: tensor<?x8x16xf32>,
                  %d: tensor<1x?x16xf32>, %i: tensor<3x5xi32>, %j: tensor<5x7xi32>) {
  // A rank-2 rhs is shared by every batch.
  // CHECK: mllm.matmul %{{.*}}, %{{.*}} : (tensor<2x4x8x16xf32>, tensor<16x32xf32>) -> tensor<2x4x8x32xf32>
  %0 = mllm.matmul %a, %w : (tensor<2x4x8x16xf32>, tensor<16x32xf32>) -> tensor<2x4x8x32xf32>
  // Batch dimensions broadcast across ranks.
  // CHECK: mllm.matmul %{{.*}}, %{{.*}} : (tensor<2x4x8x16xf32>, tensor<4x16x?xf32>) -> tensor<2x4x8x?xf32>
  %1 = mllm.matmul %a, %b : (tensor<2x4x8x16xf32>, tensor<4x16x?xf32>) -> tensor<2x4x8x?xf32>
  // CHECK: mllm.matmul %{{.*}}, %{{.*}} : (tensor<?x8x16xf32>, tensor<4x16x?xf32>) -> tensor<4x8x?xf32>
  %2 = mllm.matmul %c, %b : (tensor<?x8x16xf32>, tensor<4x16x?xf32>) -> tensor<4x8x?xf32>
  // CHECK: mllm.matmul %{{.*}}, %{{.*}} : (tensor<1x?x16xf32>, tensor<16x32xf32>) -> tensor<1x?x32xf32>
  %3 = mllm.matmul %d, %w : (tensor<1x?x16xf32>, tensor<16x32xf32>) -> tensor<1x?x32xf32>
  // CHECK: mllm.matmul %{{.*}}, %{{.*}} : (tensor<3x5xi32>, tensor<5x7xi32>) -> tensor<3x7xi32>
  %4 = mllm.matmul %i, %j : (tensor<3x5xi32>, tensor<5x7xi32>) -> tensor<3x7xi32>
  return
}

// CHECK-LABEL: func @linear
func.func @linear(%x: tensor<1x?x64xf32>, %w: tensor<64x256xf32>,
                  %b: tensor<256xf32>, %v: tensor<64xf32>, %wd: tensor<?x?xf32>) {
  // CHECK: mllm.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x?x64xf32>, tensor<64x256xf32>, tensor<256xf32>) -> tensor<1x?x256xf32>
  %0 = mllm.linear %x, %w, %b : (tensor<1x?x64xf32>, tensor<64x256xf32>, tensor<256xf32>) -> tensor<1x?x256xf32>
  // CHECK: mllm.linear %{{.*}}, %{{.*}} : (tensor<1x?x64xf32>, tensor<64x256xf32>) -> tensor<1x?x256xf32>
  %1 = mllm.linear %x, %w : (tensor<1x?x64xf32>, tensor<64x256xf32>) -> tensor<1x?x256xf32>
  // A rank-1 input gives a rank-1 result.
  // CHECK: mllm.linear %{{.*}}, %{{.*}} : (tensor<64xf32>, tensor<64x256xf32>) -> tensor<256xf32>
  %2 = mllm.linear %v, %w : (tensor<64xf32>, tensor<64x256xf32>) -> tensor<256xf32>
  // The bias pins down a dynamic output size.
  // CHECK: mllm.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x?x64xf32>, tensor<?x?xf32>, tensor<256xf32>) -> tensor<1x?x256xf32>
  %3 = mllm.linear %x, %wd, %b : (tensor<1x?x64xf32>, tensor<?x?xf32>, tensor<256xf32>) -> tensor<1x?x256xf32>
  return
}
