/* Kernels with the CPU ABI of the mllmc runtime, for the runtime tests:
 *   void entry(void *const *bindings, uint32_t x, uint32_t y, uint32_t z);
 * Each workgroup handles 4 elements of 8-element f32 buffers. */
#include <math.h>
#include <stdint.h>

/* bindings: a, b, sum. sum = a + b. */
void mllm_test_add(void *const *bindings, uint32_t x, uint32_t y, uint32_t z) {
  (void)y;
  (void)z;
  const float *a = bindings[0], *b = bindings[1];
  float *sum = bindings[2];
  for (uint32_t i = 4 * x; i < 4 * x + 4; ++i)
    sum[i] = a[i] + b[i];
}

/* bindings: input, weight, output. output = exp(input) * weight (uses libm). */
void mllm_test_exp_scale(void *const *bindings, uint32_t x, uint32_t y,
                         uint32_t z) {
  (void)y;
  (void)z;
  const float *input = bindings[0], *weight = bindings[1];
  float *output = bindings[2];
  for (uint32_t i = 4 * x; i < 4 * x + 4; ++i)
    output[i] = expf(input[i]) * weight[i];
}

/* bindings: ids, an f32[2][2][3] (z, y, x) buffer; writes x + 10 y + 100 z
 * at its workgroup's position, so a test sees every workgroup ran once. */
void mllm_test_workgroup_ids(void *const *bindings, uint32_t x, uint32_t y,
                             uint32_t z) {
  float *ids = bindings[0];
  ids[(z * 2 + y) * 3 + x] += (float)(x + 10 * y + 100 * z);
}

/* bindings: a, b, sum, then the run-time size n (a pointer-sized integer,
 * schema 1.2). sum = a + b over n floats, in one workgroup. */
void mllm_test_add_n(void *const *bindings, uint32_t x, uint32_t y,
                     uint32_t z) {
  (void)x;
  (void)y;
  (void)z;
  const float *a = bindings[0], *b = bindings[1];
  float *sum = bindings[2];
  intptr_t n = (intptr_t)bindings[3];
  for (intptr_t i = 0; i < n; ++i)
    sum[i] = a[i] + b[i];
}
