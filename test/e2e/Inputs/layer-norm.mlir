// A pre-norm block's LayerNorm followed by a projection with bias.
func.func @main(%x: tensor<1x37x96xf32> {mllm.name = "x"}, %scale: tensor<96xf32> {mllm.name = "scale"}, %bias: tensor<96xf32> {mllm.name = "bias"}, %w: tensor<96x80xf32> {mllm.name = "w"}, %b: tensor<80xf32> {mllm.name = "b"}) -> (tensor<1x37x80xf32> {mllm.name = "y"}) {
  %0 = mllm.layer_norm %x, %scale, %bias axis = 2 epsilon = 1.0e-05 : (tensor<1x37x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x37x96xf32>
  %1 = mllm.linear %0, %w, %b : (tensor<1x37x96xf32>, tensor<96x80xf32>, tensor<80xf32>) -> tensor<1x37x80xf32>
  return %1 : tensor<1x37x80xf32>
}
