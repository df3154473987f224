// A KV-cache-style concatenation on the sequence axis, and an input returned
// as an output (a copy dispatch).
func.func @main(%past: tensor<1x2x7x16xf32> {mllm.name = "past"}, %new: tensor<1x2x1x16xf32> {mllm.name = "new"}) -> (tensor<1x2x8x16xf32> {mllm.name = "cache"}, tensor<1x2x1x16xf32> {mllm.name = "same"}) {
  %0 = mllm.concat %past, %new axis = 2 : (tensor<1x2x7x16xf32>, tensor<1x2x1x16xf32>) -> tensor<1x2x8x16xf32>
  return %0, %new : tensor<1x2x8x16xf32>, tensor<1x2x1x16xf32>
}
