// Causal grouped-query attention in f16 over 200 rows (a partial last query
// tile and key tile on GPUs), head dimension 64.
func.func @main(%q: tensor<1x8x200x64xf16> {mllm.name = "q"}, %k: tensor<1x2x200x64xf16> {mllm.name = "k"}, %v: tensor<1x2x200x64xf16> {mllm.name = "v"}) -> (tensor<1x8x200x64xf16> {mllm.name = "o"}) {
  %0 = mllm.attention %q, %k, %v {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<1x8x200x64xf16>, tensor<1x2x200x64xf16>, tensor<1x2x200x64xf16>) -> tensor<1x8x200x64xf16>
  return %0 : tensor<1x8x200x64xf16>
}
