//===- HipRuntime.cpp - The HIP runtime API, loaded on demand -------------===//

#include "runtime/hip/HipRuntime.h"

#include <dlfcn.h>
#include <mutex>

namespace mllm::runtime {

namespace {
Result<const HipRuntime *> loadRuntime() {
  // Never closed: the runtime stays loaded for the life of the process.
  void *library = nullptr;
  std::string errors;
  for (const char *name :
       {"libamdhip64.so", "libamdhip64.so.6", "libamdhip64.so.5"}) {
    library = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library)
      break;
    const char *error = ::dlerror();
    if (errors.empty() && error)
      errors = error;
  }
  if (!library)
    return Status::error("HIP runtime (libamdhip64.so) not found: " + errors +
                         "; install ROCm or use another device");
  static HipRuntime runtime;
#define MLLM_HIP_RESOLVE(name, type)                                           \
  runtime.name =                                                               \
      reinterpret_cast<HipRuntime::Type<type>>(::dlsym(library, #name));       \
  if (!runtime.name)                                                           \
    return Status::error("the HIP runtime (libamdhip64) lacks " #name          \
                         "; update ROCm");
  MLLM_HIP_RUNTIME_SYMBOLS(MLLM_HIP_RESOLVE)
#undef MLLM_HIP_RESOLVE
  return static_cast<const HipRuntime *>(&runtime);
}
} // namespace

Result<const HipRuntime *> HipRuntime::get() {
  static std::once_flag once;
  static Result<const HipRuntime *> loaded = Status::error("not loaded");
  std::call_once(once, [] { loaded = loadRuntime(); });
  return loaded;
}

std::string HipRuntime::describe(hipError_t result,
                                 const std::string &what) const {
  const char *name = hipGetErrorName(result);
  const char *text = hipGetErrorString(result);
  std::string described =
      what + ": " +
      (name ? name : "HIP error " + std::to_string(static_cast<int>(result)));
  if (text && (!name || std::string(text) != name))
    described += std::string(" (") + text + ")";
  return described;
}

} // namespace mllm::runtime
