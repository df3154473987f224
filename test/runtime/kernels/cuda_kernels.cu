// Kernels with the CUDA ABI of the mllmc runtime (one pointer per binding),
// for the runtime tests; compiled to a cubin when the toolkit is present.

// bindings: a, b, sum. One thread per element.
extern "C" __global__ void mllm_test_add(const float *a, const float *b,
                                         float *sum) {
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  sum[i] = a[i] + b[i];
}

// bindings: input, weight, output. output = exp(input) * weight.
extern "C" __global__ void
mllm_test_exp_scale(const float *input, const float *weight, float *output) {
  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  output[i] = expf(input[i]) * weight[i];
}
