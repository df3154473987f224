// RUN: mllmc-opt --mllmc-fuse-elementwise --split-input-file %s | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// Two elementwise generics become one: exp then add.
// CHECK-LABEL: func.func @elementwise_chain
//  CHECK-SAME:   (%[[X:.+]]: tensor<4x8xf32>, %[[Y:.+]]: tensor<4x8xf32>)
//       CHECK:   %[[R:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[X]], %[[Y]] : tensor<4x8xf32>, tensor<4x8xf32>)
//       CHECK:     math.exp
//       CHECK:     arith.addf
//       CHECK:     linalg.yield
//   CHECK-NOT:   linalg.generic
//       CHECK:   return %[[R]]
func.func @elementwise_chain(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.addf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// An elementwise producer stays out of a reduction: fused, it would run once
// per reduced element.
// CHECK-LABEL: func.func @into_reduction
//       CHECK:   %[[E:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
//       CHECK:     math.exp
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
//  CHECK-SAME:     ins(%[[E]] : tensor<4x8xf32>)
//   CHECK-NOT:     math.exp
//       CHECK:     arith.addf
func.func @into_reduction(%x: tensor<4x8xf32>, %acc: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%0 : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.addf %a, %o : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>

// Nor into a contraction, whether a generic or a named matmul: a GELU would
// be recomputed for every column of the product.
// CHECK-LABEL: func.func @into_matmul
//       CHECK:   %[[A:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
//       CHECK:     math.tanh
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
//  CHECK-SAME:     ins(%[[A]], %{{.+}} : tensor<4x8xf32>, tensor<8x16xf32>)
//   CHECK-NOT:     math.tanh
//       CHECK:   %[[B:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
//       CHECK:     math.tanh
//       CHECK:   linalg.matmul ins(%[[B]], %{{.+}} : tensor<4x8xf32>, tensor<8x16xf32>)
func.func @into_matmul(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %acc: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.tanh %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%0, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%acc : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.tanh %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %3 = linalg.matmul ins(%2, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%acc : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %1, %3 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A producer with two uses is not fused: fused into both consumers, it would
// run twice.
// CHECK-LABEL: func.func @multi_use
//       CHECK:   %[[E:.+]] = linalg.generic
//       CHECK:     math.exp
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%[[E]], %{{.+}} : tensor<4x8xf32>, tensor<4x8xf32>)
//   CHECK-NOT:     math.exp
//       CHECK:     arith.addf
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%[[E]], %{{.+}} : tensor<4x8xf32>, tensor<4x8xf32>)
//   CHECK-NOT:     math.exp
//       CHECK:     arith.mulf
//   CHECK-NOT:   linalg.generic
func.func @multi_use(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.addf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.mulf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A producer that is also returned has two uses: it keeps its own result.
// CHECK-LABEL: func.func @returned_producer
//       CHECK:   %[[E:.+]] = linalg.generic
//       CHECK:     math.exp
//       CHECK:   %[[S:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[E]] : tensor<4x8xf32>)
//       CHECK:     arith.addf
//       CHECK:   return %[[E]], %[[S]]
func.func @returned_producer(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.addf %a, %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// A linear layer on [batch, tokens, hidden]: the activation and the residual
// add on the expanded product collapse to the matmul's 2-D loops and fuse
// with the bias, so that one elementwise generic reads the matmul's result
// (its epilogue); the residual is collapsed, the result expanded.
// CHECK-LABEL: func.func @linear_tail_across_expand
//  CHECK-SAME:   (%[[X:.+]]: tensor<2x3x8xf32>, %[[W:.+]]: tensor<8x16xf32>, %[[B:.+]]: tensor<16xf32>, %[[RES:.+]]: tensor<2x3x16xf32>)
//       CHECK:   %[[M:.+]] = linalg.matmul
//       CHECK:   %[[RC:.+]] = tensor.collapse_shape %[[RES]] {{\[\[}}0, 1], [2]] : tensor<2x3x16xf32> into tensor<6x16xf32>
//       CHECK:   %[[T:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
//  CHECK-SAME:     ins(%[[M]], %[[B]], %[[RC]] : tensor<6x16xf32>, tensor<16xf32>, tensor<6x16xf32>)
//       CHECK:     arith.addf
//       CHECK:     math.tanh
//       CHECK:     arith.addf
//   CHECK-NOT:   linalg.generic
//       CHECK:   %[[R:.+]] = tensor.expand_shape %[[T]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 16]
//       CHECK:   return %[[R]]
func.func @linear_tail_across_expand(%x: tensor<2x3x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %res: tensor<2x3x16xf32>) -> tensor<2x3x16xf32> {
  %zero = arith.constant 0.0 : f32
  %xc = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
  %e = tensor.empty() : tensor<6x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x16xf32>) -> tensor<6x16xf32>
  %m = linalg.matmul ins(%xc, %w : tensor<6x8xf32>, tensor<8x16xf32>) outs(%f : tensor<6x16xf32>) -> tensor<6x16xf32>
  %biased = linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<6x16xf32>, tensor<16xf32>) outs(%e : tensor<6x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %v = arith.addf %a, %c : f32
    linalg.yield %v : f32
  } -> tensor<6x16xf32>
  %x3 = tensor.expand_shape %biased [[0, 1], [2]] output_shape [2, 3, 16] : tensor<6x16xf32> into tensor<2x3x16xf32>
  %e3 = tensor.empty() : tensor<2x3x16xf32>
  %act = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x3 : tensor<2x3x16xf32>) outs(%e3 : tensor<2x3x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.tanh %a : f32
    linalg.yield %v : f32
  } -> tensor<2x3x16xf32>
  %sum = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%act, %res : tensor<2x3x16xf32>, tensor<2x3x16xf32>) outs(%e3 : tensor<2x3x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %v = arith.addf %a, %c : f32
    linalg.yield %v : f32
  } -> tensor<2x3x16xf32>
  return %sum : tensor<2x3x16xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// An expand_shape of anything but a contraction or its tail stays where it
// is: the elementwise op keeps its own loops.
// CHECK-LABEL: func.func @expand_of_argument
//       CHECK:   %[[E:.+]] = tensor.expand_shape
//       CHECK:   linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]
//  CHECK-SAME:     ins(%[[E]] : tensor<2x3x16xf32>)
func.func @expand_of_argument(%x: tensor<6x16xf32>) -> tensor<2x3x16xf32> {
  %x3 = tensor.expand_shape %x [[0, 1], [2]] output_shape [2, 3, 16] : tensor<6x16xf32> into tensor<2x3x16xf32>
  %e3 = tensor.empty() : tensor<2x3x16xf32>
  %act = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x3 : tensor<2x3x16xf32>) outs(%e3 : tensor<2x3x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.tanh %a : f32
    linalg.yield %v : f32
  } -> tensor<2x3x16xf32>
  return %act : tensor<2x3x16xf32>
}
