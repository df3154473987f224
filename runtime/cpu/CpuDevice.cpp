//===- CpuDevice.cpp - Runs ELF shared-object kernels on the host ---------===//
//
// The kernel library is a shared object loaded from memory (memfd_create +
// dlopen of /proc/self/fd/N). Each entry point has the signature
//
//   extern "C" void entry(void *const *bindings, uint32_t workgroup_x,
//                         uint32_t workgroup_y, uint32_t workgroup_z);
//
// where `bindings` holds one pointer per buffer and then, for a kernel
// compiled for run-time sizes, one pointer-sized integer per size it takes;
// a dispatch calls it once per workgroup id, spreading the workgroups
// over the device's threads (WorkgroupPool.h; MLLM_NUM_THREADS sets their
// number, by default the machine's hardware threads). Weights are used in
// place from the mapped artifact.
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Device.h"
#include "runtime/cpu/WorkgroupPool.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <sys/mman.h>
#include <system_error>
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

/// Checks what the dynamic loader trusts without checking: a loadable
/// segment whose file bytes end past the image makes dlopen fault (SIGBUS)
/// instead of fail.
Status checkElfSegments(const KernelImage &image) {
  Elf64_Ehdr header;
  if (image.size < sizeof(header) ||
      std::memcmp(image.data, ELFMAG, SELFMAG) != 0 ||
      image.data[EI_CLASS] != ELFCLASS64)
    return Status::error("the kernel library (" + image.arch +
                         ") is not a 64-bit ELF shared object");
  std::memcpy(&header, image.data, sizeof(header));
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phoff > image.size ||
      header.e_phnum > (image.size - header.e_phoff) / sizeof(Elf64_Phdr))
    return Status::error("the kernel library (" + image.arch +
                         ") is corrupted: its program headers lie outside it");
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    std::memcpy(&segment, image.data + header.e_phoff + i * sizeof(segment),
                sizeof(segment));
    if (segment.p_type == PT_LOAD &&
        (segment.p_offset > image.size ||
         segment.p_filesz > image.size - segment.p_offset))
      return Status::error("the kernel library (" + image.arch +
                           ") is corrupted: segment " + std::to_string(i) +
                           " ends past its " + std::to_string(image.size) +
                           " bytes");
  }
  return {};
}

/// Writes `image` to an anonymous in-memory file and dlopens it.
Status openFromMemory(const KernelImage &image, CpuKernels &kernels) {
  MLLM_RETURN_IF_ERROR(checkElfSegments(image));
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

/// The threads MLLM_NUM_THREADS asks for, or the hardware threads when it is
/// unset or empty.
Result<unsigned> threadCountFromEnvironment() {
  const char *text = std::getenv("MLLM_NUM_THREADS");
  if (!text || !*text) {
    unsigned hardware = std::thread::hardware_concurrency();
    return hardware ? hardware : 1u;
  }
  constexpr unsigned long kMaxThreads = 1024;
  char *end = nullptr;
  errno = 0;
  unsigned long threads = std::strtoul(text, &end, 10);
  if (*text < '0' || *text > '9' || *end || errno || threads == 0 ||
      threads > kMaxThreads)
    return Status::error("MLLM_NUM_THREADS must be a thread count from 1 to " +
                         std::to_string(kMaxThreads) + ", got '" + text + "'");
  return static_cast<unsigned>(threads);
}

class CpuDevice : public Device {
public:
  explicit CpuDevice(unsigned threads) : pool(threads) {}

  const char *name() const override { return "cpu"; }
  const char *target() const override { return "cpu"; }
  std::string description() const override {
    unsigned threads = pool.threadCount();
    return "host CPU, " + std::to_string(threads) +
           (threads == 1 ? " thread" : " threads");
  }

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
    for (int64_t constant : params.constants)
      dispatch->bindings.push_back(
          reinterpret_cast<void *>(static_cast<intptr_t>(constant)));
    return std::unique_ptr<PreparedDispatch>(std::move(dispatch));
  }

  /// Runs the workgroups on the pool's threads and returns when all have
  /// finished, so synchronize has nothing to wait for.
  Status launch(const PreparedDispatch &prepared) override {
    const auto &dispatch = static_cast<const CpuDispatch &>(prepared);
    const auto [countX, countY, countZ] = dispatch.workgroupCount;
    const uint64_t plane = uint64_t(countX) * countY;
    pool.run(plane * countZ, [&](uint64_t index) {
      uint64_t inPlane = index % plane;
      dispatch.function(dispatch.bindings.data(),
                        static_cast<uint32_t>(inPlane % countX),
                        static_cast<uint32_t>(inPlane / countX),
                        static_cast<uint32_t>(index / plane));
    });
    return {};
  }

  Status synchronize() override { return {}; }

private:
  WorkgroupPool pool;
};

Result<std::unique_ptr<Device>> createCpuDevice() {
  Result<unsigned> threads = threadCountFromEnvironment();
  if (!threads.ok())
    return threads.status();
  try {
    return std::unique_ptr<Device>(
        std::make_unique<CpuDevice>(threads.value()));
  } catch (const std::system_error &error) {
    return Status::error(
        "cannot start " + std::to_string(threads.value()) +
        " threads for the cpu device (MLLM_NUM_THREADS): " + error.what());
  }
}

} // namespace

MLLM_REGISTER_DEVICE(cpu, createCpuDevice);

} // namespace mllm::runtime
