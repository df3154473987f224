// Three new tokens of two sequences attend 700 cached keys (causal, bottom-
// right aligned) in f16 through an additive mask per sequence and row, 8
// query heads sharing 2 kv heads: on GPUs, the cooperative kernel over key
// ranges and their combine.
func.func @main(%q: tensor<2x8x3x64xf16> {mllm.name = "q"}, %k: tensor<2x2x700x64xf16> {mllm.name = "k"}, %v: tensor<2x2x700x64xf16> {mllm.name = "v"}, %m: tensor<2x1x3x700xf16> {mllm.name = "mask"}) -> (tensor<2x8x3x64xf16> {mllm.name = "o"}) {
  %0 = mllm.attention %q, %k, %v mask %m {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32} : (tensor<2x8x3x64xf16>, tensor<2x2x700x64xf16>, tensor<2x2x700x64xf16>, tensor<2x1x3x700xf16>) -> tensor<2x8x3x64xf16>
  return %0 : tensor<2x8x3x64xf16>
}
