// Causal grouped-query attention: 8 query heads share 2 key/value heads.
func.func @main(%q: tensor<1x8x19x32xf32> {mllm.name = "q"}, %k: tensor<1x2x19x32xf32> {mllm.name = "k"}, %v: tensor<1x2x19x32xf32> {mllm.name = "v"}) -> (tensor<1x8x19x32xf32> {mllm.name = "o"}) {
  %0 = mllm.attention %q, %k, %v {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.1767767 : f32} : (tensor<1x8x19x32xf32>, tensor<1x2x19x32xf32>, tensor<1x2x19x32xf32>) -> tensor<1x8x19x32xf32>
  return %0 : tensor<1x8x19x32xf32>
}
