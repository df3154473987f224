//===- HipRuntime.h - The HIP runtime API, loaded on demand -------*- C++
//-*-===//
//
// The runtime never links libamdhip64: it is opened with dlopen the first time
// a hip device is asked for. hip_runtime_api.h supplies the types only.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_HIP_HIPRUNTIME_H
#define MLLM_RUNTIME_HIP_HIPRUNTIME_H

#include "runtime/core/Status.h"

#include <hip/hip_runtime_api.h>

namespace mllm::runtime {

/// The HIP entry points the hip device uses, by their exported names, with
/// their types spelled out (C++ overloads make decltype ambiguous).
#define MLLM_HIP_RUNTIME_SYMBOLS(X)                                            \
  X(hipInit, hipError_t (*)(unsigned))                                         \
  X(hipGetErrorName, const char *(*)(hipError_t))                              \
  X(hipGetErrorString, const char *(*)(hipError_t))                            \
  X(hipGetDeviceCount, hipError_t (*)(int *))                                  \
  X(hipSetDevice, hipError_t (*)(int))                                         \
  X(hipDeviceGet, hipError_t (*)(hipDevice_t *, int))                          \
  X(hipDeviceGetName, hipError_t (*)(char *, int, hipDevice_t))                \
  X(hipStreamCreateWithFlags, hipError_t (*)(hipStream_t *, unsigned))         \
  X(hipStreamDestroy, hipError_t (*)(hipStream_t))                             \
  X(hipStreamSynchronize, hipError_t (*)(hipStream_t))                         \
  X(hipModuleLoadData, hipError_t (*)(hipModule_t *, const void *))            \
  X(hipModuleUnload, hipError_t (*)(hipModule_t))                              \
  X(hipModuleGetFunction,                                                      \
    hipError_t (*)(hipFunction_t *, hipModule_t, const char *))                \
  X(hipMalloc, hipError_t (*)(void **, size_t))                                \
  X(hipFree, hipError_t (*)(void *))                                           \
  X(hipMemsetAsync, hipError_t (*)(void *, int, size_t, hipStream_t))          \
  X(hipMemcpyHtoDAsync,                                                        \
    hipError_t (*)(hipDeviceptr_t, void *, size_t, hipStream_t))               \
  X(hipMemcpyDtoHAsync,                                                        \
    hipError_t (*)(void *, hipDeviceptr_t, size_t, hipStream_t))               \
  X(hipMemcpyDtoDAsync,                                                        \
    hipError_t (*)(hipDeviceptr_t, hipDeviceptr_t, size_t, hipStream_t))       \
  X(hipModuleLaunchKernel,                                                     \
    hipError_t (*)(hipFunction_t, unsigned, unsigned, unsigned, unsigned,      \
                   unsigned, unsigned, unsigned, hipStream_t, void **,         \
                   void **))

struct HipRuntime {
  template <typename T> using Type = T;
#define MLLM_HIP_DECLARE(name, type) Type<type> name = nullptr;
  MLLM_HIP_RUNTIME_SYMBOLS(MLLM_HIP_DECLARE)
#undef MLLM_HIP_DECLARE

  /// Opens libamdhip64 once per process and resolves every entry point.
  static Result<const HipRuntime *> get();

  /// "what: hipErrorX (description)".
  std::string describe(hipError_t result, const std::string &what) const;
  /// Success, or a failure described as above.
  Status check(hipError_t result, const std::string &what) const {
    return result == hipSuccess ? Status()
                                : Status::error(describe(result, what));
  }
};

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_HIP_HIPRUNTIME_H
