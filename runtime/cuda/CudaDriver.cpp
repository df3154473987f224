//===- CudaDriver.cpp - The CUDA driver API, loaded on demand -------------===//

#include "runtime/cuda/CudaDriver.h"

#include <dlfcn.h>
#include <mutex>

namespace mllm::runtime {

namespace {
Result<const CudaDriver *> loadDriver() {
  // Never closed: the driver stays loaded for the life of the process.
  void *library = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *error = ::dlerror();
    return Status::error(std::string("CUDA driver (libcuda.so.1) not found: ") +
                         (error ? error : "unknown error") +
                         "; install the NVIDIA driver or use another device");
  }
  static CudaDriver driver;
#define MLLM_CUDA_RESOLVE(name)                                                \
  driver.name =                                                                \
      reinterpret_cast<decltype(driver.name)>(::dlsym(library, #name));        \
  if (!driver.name)                                                            \
    return Status::error("the CUDA driver (libcuda.so.1) lacks " #name         \
                         "; update the NVIDIA driver");
  MLLM_CUDA_DRIVER_SYMBOLS(MLLM_CUDA_RESOLVE)
#undef MLLM_CUDA_RESOLVE
  return static_cast<const CudaDriver *>(&driver);
}
} // namespace

Result<const CudaDriver *> CudaDriver::get() {
  static std::once_flag once;
  static Result<const CudaDriver *> loaded = Status::error("not loaded");
  std::call_once(once, [] { loaded = loadDriver(); });
  return loaded;
}

std::string CudaDriver::describe(CUresult result,
                                 const std::string &what) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS)
    name = nullptr;
  if (cuGetErrorString(result, &text) != CUDA_SUCCESS)
    text = nullptr;
  return what + ": " + (name ? name : "CUDA error " + std::to_string(result)) +
         (text ? std::string(" (") + text + ")" : "");
}

} // namespace mllm::runtime
