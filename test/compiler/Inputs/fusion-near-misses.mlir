// A model for the fusion report: a CLIP-style block whose LayerNorm and MLP
// fuse, followed by a GELU with a wrong constant and an RMSNorm over the
// wrong axis (both near misses).
#loc = loc("model.onnx":0:0)
module {
  func.func @main(%x: tensor<1x8x16xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>) -> (tensor<1x8x16xf32>, tensor<1x8x16xf32>) {
    %two = mllm.constant dense<2.0> : tensor<f32>
    %eps = mllm.constant dense<1.0e-05> : tensor<f32>
    %w1 = mllm.constant dense<0.01> : tensor<16x32xf32>
    %b1 = mllm.constant dense<0.02> : tensor<32xf32>
    %w2 = mllm.constant dense<0.03> : tensor<32x16xf32>
    %b2 = mllm.constant dense<0.04> : tensor<16xf32>
    %k = mllm.constant dense<1.702> : tensor<f32>
    %bad = mllm.constant dense<1.5> : tensor<f32>
    %one = mllm.constant dense<1.0> : tensor<f32>
    %half = mllm.constant dense<0.5> : tensor<f32>
    %m = mllm.reduce_mean %x axes = [2] : tensor<1x8x16xf32> -> tensor<1x8x1xf32> loc(#ln_mean)
    %d = mllm.sub %x, %m : (tensor<1x8x16xf32>, tensor<1x8x1xf32>) -> tensor<1x8x16xf32> loc(#ln_sub)
    %sq = mllm.pow %d, %two : (tensor<1x8x16xf32>, tensor<f32>) -> tensor<1x8x16xf32> loc(#ln_pow)
    %v = mllm.reduce_mean %sq axes = [2] : tensor<1x8x16xf32> -> tensor<1x8x1xf32> loc(#ln_mean1)
    %ve = mllm.add %v, %eps : (tensor<1x8x1xf32>, tensor<f32>) -> tensor<1x8x1xf32> loc(#ln_add)
    %s = mllm.sqrt %ve : tensor<1x8x1xf32> loc(#ln_sqrt)
    %n = mllm.div %d, %s : (tensor<1x8x16xf32>, tensor<1x8x1xf32>) -> tensor<1x8x16xf32> loc(#ln_div)
    %ng = mllm.mul %n, %gamma : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32> loc(#ln_mul)
    %ln = mllm.add %ng, %beta : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32> loc(#ln_add1)
    %h0 = mllm.matmul %ln, %w1 : (tensor<1x8x16xf32>, tensor<16x32xf32>) -> tensor<1x8x32xf32> loc(#fc1_matmul)
    %h1 = mllm.add %h0, %b1 : (tensor<1x8x32xf32>, tensor<32xf32>) -> tensor<1x8x32xf32> loc(#fc1_add)
    %q0 = mllm.mul %h1, %k : (tensor<1x8x32xf32>, tensor<f32>) -> tensor<1x8x32xf32> loc(#act_mul)
    %q1 = mllm.sigmoid %q0 : tensor<1x8x32xf32> loc(#act_sigmoid)
    %q2 = mllm.mul %h1, %q1 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x32xf32> loc(#act_mul1)
    %o0 = mllm.matmul %q2, %w2 : (tensor<1x8x32xf32>, tensor<32x16xf32>) -> tensor<1x8x16xf32> loc(#fc2_matmul)
    %o1 = mllm.add %o0, %b2 : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32> loc(#fc2_add)
    %g0 = mllm.mul %o1, %bad : (tensor<1x8x16xf32>, tensor<f32>) -> tensor<1x8x16xf32> loc(#gelu_mul)
    %g1 = mllm.erf %g0 : tensor<1x8x16xf32> loc(#gelu_erf)
    %g2 = mllm.add %g1, %one : (tensor<1x8x16xf32>, tensor<f32>) -> tensor<1x8x16xf32> loc(#gelu_add)
    %g3 = mllm.mul %o1, %g2 : (tensor<1x8x16xf32>, tensor<1x8x16xf32>) -> tensor<1x8x16xf32> loc(#gelu_mul1)
    %g4 = mllm.mul %g3, %half : (tensor<1x8x16xf32>, tensor<f32>) -> tensor<1x8x16xf32> loc(#gelu_mul2)
    %r0 = mllm.pow %x, %two : (tensor<1x8x16xf32>, tensor<f32>) -> tensor<1x8x16xf32> loc(#rms_pow)
    %r1 = mllm.reduce_mean %r0 axes = [1] : tensor<1x8x16xf32> -> tensor<1x1x16xf32> loc(#rms_mean)
    %r2 = mllm.add %r1, %eps : (tensor<1x1x16xf32>, tensor<f32>) -> tensor<1x1x16xf32> loc(#rms_add)
    %r3 = mllm.rsqrt %r2 : tensor<1x1x16xf32> loc(#rms_rsqrt)
    %r4 = mllm.mul %x, %r3 : (tensor<1x8x16xf32>, tensor<1x1x16xf32>) -> tensor<1x8x16xf32> loc(#rms_mul)
    return %g4, %r4 : tensor<1x8x16xf32>, tensor<1x8x16xf32>
  }
}
#ln_mean = loc("/ln/ReduceMean"(#loc))
#ln_sub = loc("/ln/Sub"(#loc))
#ln_pow = loc("/ln/Pow"(#loc))
#ln_mean1 = loc("/ln/ReduceMean_1"(#loc))
#ln_add = loc("/ln/Add"(#loc))
#ln_sqrt = loc("/ln/Sqrt"(#loc))
#ln_div = loc("/ln/Div"(#loc))
#ln_mul = loc("/ln/Mul"(#loc))
#ln_add1 = loc("/ln/Add_1"(#loc))
#fc1_matmul = loc("/fc1/MatMul"(#loc))
#fc1_add = loc("/fc1/Add"(#loc))
#act_mul = loc("/act/Mul"(#loc))
#act_sigmoid = loc("/act/Sigmoid"(#loc))
#act_mul1 = loc("/act/Mul_1"(#loc))
#fc2_matmul = loc("/fc2/MatMul"(#loc))
#fc2_add = loc("/fc2/Add"(#loc))
#gelu_mul = loc("/gelu/Mul"(#loc))
#gelu_erf = loc("/gelu/Erf"(#loc))
#gelu_add = loc("/gelu/Add"(#loc))
#gelu_mul1 = loc("/gelu/Mul_1"(#loc))
#gelu_mul2 = loc("/gelu/Mul_2"(#loc))
#rms_pow = loc("/rms/Pow"(#loc))
#rms_mean = loc("/rms/ReduceMean"(#loc))
#rms_add = loc("/rms/Add"(#loc))
#rms_rsqrt = loc("/rms/Rsqrt"(#loc))
#rms_mul = loc("/rms/Mul"(#loc))
