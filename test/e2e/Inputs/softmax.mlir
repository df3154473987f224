// Softmax over the last axis of attention-score-shaped logits.
func.func @main(%x: tensor<2x4x33x65xf32> {mllm.name = "x"}) -> (tensor<2x4x33x65xf32> {mllm.name = "y"}) {
  %0 = mllm.softmax %x axis = 3 : tensor<2x4x33x65xf32>
  return %0 : tensor<2x4x33x65xf32>
}
