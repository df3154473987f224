//===- CpuDevice.cpp - Runs ELF shared-object kernels on the host ---------===//
//
// The kernel library is a shared object loaded from memory (memfd_create +
// dlopen of /proc/self/fd/N). Each entry point has the signature
//
//   extern "C" void entry(void *const *bindings, uint32_t workgroup_x,
//                         uint32_t workgroup_y, uint32_t workgroup_z);
//
// and a dispatch calls it once per workgroup id. Weights are used in place
// from the mapped artifact.
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Device.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

namespace mllm::runtime {
namespace {

using KernelFunction = void (*)(void *const *bindings, uint32_t x, uint32_t y,
                                uint32_t z);

class CpuKernels : public LoadedKernels {
public:
  ~CpuKernels() override {
    if (handle)
      ::dlclose(handle);
    if (fd >= 0)
      ::close(fd);
  }
  void *handle = nullptr;
  /// Open while the library is loaded: dlopen knows a library by its path,
  /// and a reused /proc/self/fd/N would alias an unrelated library.
  int fd = -1;
  std::vector<KernelFunction> entries;
};

class CpuDispatch : public PreparedDispatch {
public:
  KernelFunction function;
  std::array<uint32_t, 3> workgroupCount;
  std::vector<void *> bindings;
};

/// Writes `image` to an anonymous in-memory file and dlopens it.
Status openFromMemory(const KernelImage &image, CpuKernels &kernels) {
  int fd = ::memfd_create("mllmc-kernels", MFD_CLOEXEC);
  if (fd < 0)
    return Status::error(std::string("cannot create an in-memory file for "
                                     "the kernels: ") +
                         std::strerror(errno));
  const uint8_t *bytes = image.data;
  uint64_t left = image.size;
  while (left > 0) {
    ssize_t written = ::write(fd, bytes, left);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0) {
      std::string message = std::strerror(errno);
      ::close(fd);
      return Status::error("cannot write the kernels to memory: " + message);
    }
    bytes += written;
    left -= written;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  kernels.fd = fd;
  kernels.handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!kernels.handle) {
    const char *error = ::dlerror();
    return Status::error(std::string("cannot load the kernel library (") +
                         image.arch +
                         "): " + (error ? error : "unknown error"));
  }
  return {};
}

class CpuDevice : public Device {
public:
  const char *name() const override { return "cpu"; }
  const char *target() const override { return "cpu"; }
  std::string description() const override { return "host CPU"; }

  Result<std::unique_ptr<LoadedKernels>>
  loadKernels(const KernelImage &image) override {
    auto kernels = std::make_unique<CpuKernels>();
    if (image.entryPoints.empty())
      return std::unique_ptr<LoadedKernels>(std::move(kernels));
    MLLM_RETURN_IF_ERROR(openFromMemory(image, *kernels));
    for (const std::string &entry : image.entryPoints) {
      void *symbol = ::dlsym(kernels->handle, entry.c_str());
      if (!symbol)
        return Status::error("the kernel library has no entry point '" + entry +
                             "'");
      kernels->entries.push_back(reinterpret_cast<KernelFunction>(symbol));
    }
    return std::unique_ptr<LoadedKernels>(std::move(kernels));
  }

  Result<DeviceAddress> allocate(uint64_t size) override {
    if (size == 0)
      return DeviceAddress(0);
    void *memory = std::calloc(1, size);
    if (!memory)
      return Status::error("out of host memory");
    return reinterpret_cast<DeviceAddress>(memory);
  }

  void deallocate(DeviceAddress address) override {
    std::free(reinterpret_cast<void *>(address));
  }

  Result<DeviceAddress> importReadOnly(const void *data, uint64_t) override {
    return reinterpret_cast<DeviceAddress>(data);
  }
  void releaseReadOnly(DeviceAddress) override {}

  Status copyToDevice(DeviceAddress target, const void *source,
                      uint64_t size) override {
    if (size)
      std::memcpy(reinterpret_cast<void *>(target), source, size);
    return {};
  }
  Status copyToHost(void *target, DeviceAddress source,
                    uint64_t size) override {
    if (size)
      std::memcpy(target, reinterpret_cast<const void *>(source), size);
    return {};
  }
  Status copyOnDevice(DeviceAddress target, DeviceAddress source,
                      uint64_t size) override {
    if (size)
      std::memmove(reinterpret_cast<void *>(target),
                   reinterpret_cast<const void *>(source), size);
    return {};
  }

  Result<std::unique_ptr<PreparedDispatch>>
  prepareDispatch(LoadedKernels &kernels,
                  const DispatchParams &params) override {
    auto &cpuKernels = static_cast<CpuKernels &>(kernels);
    auto dispatch = std::make_unique<CpuDispatch>();
    dispatch->function = cpuKernels.entries.at(params.entryPoint);
    dispatch->workgroupCount = params.workgroupCount;
    for (DeviceAddress address : params.bindings)
      dispatch->bindings.push_back(reinterpret_cast<void *>(address));
    return std::unique_ptr<PreparedDispatch>(std::move(dispatch));
  }

  /// Runs every workgroup in order on the calling thread. Workgroups are
  /// independent, so a thread pool can split this loop later.
  Status launch(const PreparedDispatch &prepared) override {
    const auto &dispatch = static_cast<const CpuDispatch &>(prepared);
    const auto [countX, countY, countZ] = dispatch.workgroupCount;
    for (uint32_t z = 0; z < countZ; ++z)
      for (uint32_t y = 0; y < countY; ++y)
        for (uint32_t x = 0; x < countX; ++x)
          dispatch.function(dispatch.bindings.data(), x, y, z);
    return {};
  }

  Status synchronize() override { return {}; }
};

Result<std::unique_ptr<Device>> createCpuDevice() {
  return std::unique_ptr<Device>(std::make_unique<CpuDevice>());
}

} // namespace

MLLM_REGISTER_DEVICE(cpu, createCpuDevice);

} // namespace mllm::runtime
