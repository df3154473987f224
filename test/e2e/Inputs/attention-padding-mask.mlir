// Two sequences attending 333 keys through an additive mask broadcast over
// heads and rows ([2, 1, 1, 333]), head dimension 128, 100 query rows.
func.func @main(%q: tensor<2x4x100x128xf32> {mllm.name = "q"}, %k: tensor<2x4x333x128xf32> {mllm.name = "k"}, %v: tensor<2x4x333x128xf32> {mllm.name = "v"}, %m: tensor<2x1x1x333xf32> {mllm.name = "mask"}) -> (tensor<2x4x100x128xf32> {mllm.name = "o"}) {
  %0 = mllm.attention %q, %k, %v mask %m {num_heads = 4 : i64, num_kv_heads = 4 : i64, scale = 0.0883883 : f32} : (tensor<2x4x100x128xf32>, tensor<2x4x333x128xf32>, tensor<2x4x333x128xf32>, tensor<2x1x1x333xf32>) -> tensor<2x4x100x128xf32>
  return %0 : tensor<2x4x100x128xf32>
}
