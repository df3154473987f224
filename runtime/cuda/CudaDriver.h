//===- CudaDriver.h - The CUDA driver API, loaded on demand -------*- C++
//-*-===//
//
// The runtime never links libcuda: the driver is opened with dlopen the first
// time a cuda device is asked for, and its entry points are looked up by name.
// cuda.h supplies the types only.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CUDA_CUDADRIVER_H
#define MLLM_RUNTIME_CUDA_CUDADRIVER_H

#include "runtime/core/Status.h"

#include <cuda.h>

namespace mllm::runtime {

/// The driver entry points the cuda device uses, by their exported names.
#define MLLM_CUDA_DRIVER_SYMBOLS(X)                                            \
  X(cuInit)                                                                    \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuDevicePrimaryCtxRelease_v2)                                              \
  X(cuCtxSetCurrent)                                                           \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy_v2)                                                        \
  X(cuStreamSynchronize)                                                       \
  X(cuModuleLoadData)                                                          \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncSetAttribute)                                                        \
  X(cuMemAlloc_v2)                                                             \
  X(cuMemFree_v2)                                                              \
  X(cuMemsetD8Async)                                                           \
  X(cuMemcpyHtoDAsync_v2)                                                      \
  X(cuMemcpyDtoHAsync_v2)                                                      \
  X(cuMemcpyDtoDAsync_v2)                                                      \
  X(cuLaunchKernel)

struct CudaDriver {
#define MLLM_CUDA_DECLARE(name) decltype(&::name) name = nullptr;
  MLLM_CUDA_DRIVER_SYMBOLS(MLLM_CUDA_DECLARE)
#undef MLLM_CUDA_DECLARE

  /// Opens libcuda.so.1 once per process and resolves every entry point.
  static Result<const CudaDriver *> get();

  /// "what: CUDA_ERROR_X (description)".
  std::string describe(CUresult result, const std::string &what) const;
  /// Success, or a failure described as above.
  Status check(CUresult result, const std::string &what) const {
    return result == CUDA_SUCCESS ? Status()
                                  : Status::error(describe(result, what));
  }
};

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CUDA_CUDADRIVER_H
