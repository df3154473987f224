//===- ArtifactLoaderFuzzer.cpp - libFuzzer target for the loader ---------===//
//
// Bytes -> ArtifactFile::load (header, CRC, flatbuffer verifier, schema
// version, ArtifactChecks) -> a Session per function on the CPU device ->
// every input set, one run, every output read.
//
// The input goes through the real loader: it is written to an in-memory file
// (memfd) that ArtifactFile::load maps by its /proc/self/fd path. Before
// that, a header's file size and CRC-32 are set to match the input, or almost
// every mutation would stop at the checksum; unit tests cover those checks.
//
// Kernels are never loaded or run: the CPU device would dlopen the kernel
// binary, i.e. execute whatever the input holds. FuzzDevice forwards memory
// and copies to the real CPU device and replaces kernel loading and launches
// by a check of the entry point indices. It has 64 MiB, so that an arena a
// corrupt artifact claims is refused like on a small device instead of being
// allocated.
//
//===----------------------------------------------------------------------===//

#include "compiler/artifact/ArtifactFormat.h"
#include "runtime/core/ArtifactFile.h"
#include "runtime/core/Device.h"
#include "runtime/core/Session.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>
#include <zlib.h>

using namespace mllm::runtime;
namespace artifact = mllmc::artifact;

namespace {

constexpr uint64_t kDeviceMemory = 64 << 20;

class FuzzKernels : public LoadedKernels {
public:
  size_t entryPoints = 0;
};

class FuzzDispatch : public PreparedDispatch {};

/// The CPU device without kernels (see the file comment).
class FuzzDevice : public Device {
public:
  explicit FuzzDevice(std::unique_ptr<Device> cpu) : cpu(std::move(cpu)) {}

  const char *name() const override { return "fuzz"; }
  const char *target() const override { return cpu->target(); }
  std::string description() const override { return "fuzzing device"; }

  Result<std::unique_ptr<LoadedKernels>>
  loadKernels(const KernelImage &image) override {
    auto kernels = std::make_unique<FuzzKernels>();
    kernels->entryPoints = image.entryPoints.size();
    return std::unique_ptr<LoadedKernels>(std::move(kernels));
  }

  Result<DeviceAddress> allocate(uint64_t size) override {
    if (size > kDeviceMemory - used)
      return Status::error("the fuzzing device has " +
                           std::to_string(kDeviceMemory) + " bytes");
    Result<DeviceAddress> address = cpu->allocate(size);
    if (address.ok())
      used += size;
    return address;
  }
  void deallocate(DeviceAddress address) override {
    // Sessions are destroyed before the device; the budget is per session.
    cpu->deallocate(address);
  }
  Result<DeviceAddress> importReadOnly(const void *data,
                                       uint64_t size) override {
    return cpu->importReadOnly(data, size);
  }
  void releaseReadOnly(DeviceAddress address) override {
    cpu->releaseReadOnly(address);
  }
  Status copyToDevice(DeviceAddress target, const void *source,
                      uint64_t size) override {
    return cpu->copyToDevice(target, source, size);
  }
  Status copyToHost(void *target, DeviceAddress source,
                    uint64_t size) override {
    return cpu->copyToHost(target, source, size);
  }
  Status copyOnDevice(DeviceAddress target, DeviceAddress source,
                      uint64_t size) override {
    return cpu->copyOnDevice(target, source, size);
  }

  Result<std::unique_ptr<PreparedDispatch>>
  prepareDispatch(LoadedKernels &kernels,
                  const DispatchParams &params) override {
    // The loader promised that every entry point exists.
    if (params.entryPoint >= static_cast<FuzzKernels &>(kernels).entryPoints)
      __builtin_trap();
    return std::unique_ptr<PreparedDispatch>(std::make_unique<FuzzDispatch>());
  }
  Status launch(const PreparedDispatch &) override { return {}; }
  Status synchronize() override { return cpu->synchronize(); }

  void resetBudget() { used = 0; }

private:
  std::unique_ptr<Device> cpu;
  uint64_t used = 0;
};

/// Makes the header's file size and CRC-32 match `bytes`.
void fixUpHeader(std::vector<uint8_t> &bytes) {
  if (bytes.size() < artifact::kHeaderSize || !artifact::hasMagic(bytes.data()))
    return;
  artifact::FileHeader header = artifact::decodeHeader(bytes.data());
  header.fileSize = bytes.size();
  uLong crc = crc32_z(0, nullptr, 0);
  header.crc32 = crc32_z(crc, bytes.data() + artifact::kHeaderSize,
                         bytes.size() - artifact::kHeaderSize);
  std::array<uint8_t, artifact::kHeaderSize> encoded =
      artifact::encodeHeader(header);
  // Keep the reserved bytes as the input has them.
  std::memcpy(bytes.data(), encoded.data(), 60);
}

/// Loads `bytes` through a memfd; the fd is closed once the file is mapped.
Result<std::shared_ptr<const ArtifactFile>>
loadFromMemory(const std::vector<uint8_t> &bytes) {
  int fd = ::memfd_create("mllm-fuzz-artifact", MFD_CLOEXEC);
  if (fd < 0)
    std::abort();
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0)
      std::abort();
    written += n;
  }
  Result<std::shared_ptr<const ArtifactFile>> file =
      ArtifactFile::load("/proc/self/fd/" + std::to_string(fd));
  ::close(fd);
  return file;
}

/// Bytes of a tensor of `type` with `dims`, or nothing on overflow.
std::optional<uint64_t> byteSize(ElementType type,
                                 const std::vector<int64_t> &dims) {
  uint64_t bytes = elementByteSize(type);
  for (int64_t dim : dims)
    if (dim < 0 ||
        __builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes))
      return std::nullopt;
  return bytes;
}

/// Sets every input to zeros (dynamic dims 1), runs, reads every output.
void exercise(Session &session) {
  for (const TensorState &input : session.inputs()) {
    std::vector<int64_t> dims;
    for (int64_t dim : input.declaredDims)
      dims.push_back(dim < 0 ? 1 : dim);
    std::optional<uint64_t> bytes = byteSize(input.elementType, dims);
    if (!bytes || *bytes > input.capacity)
      return;
    std::vector<uint8_t> zeros(*bytes);
    if (!session
             .setInput(input.name, input.elementType, dims, zeros.data(),
                       zeros.size())
             .ok())
      return;
  }
  if (!session.run().ok())
    return;
  for (const TensorState &output : session.outputs()) {
    std::optional<uint64_t> bytes = byteSize(output.elementType, output.dims);
    if (!bytes || *bytes > output.capacity)
      continue;
    std::vector<uint8_t> data(*bytes);
    (void)session.readOutput(output.name, data.data(), data.size());
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FuzzDevice *device = [] {
    Result<std::unique_ptr<Device>> cpu = openDevice("cpu");
    if (!cpu.ok())
      std::abort();
    return new FuzzDevice(cpu.take());
  }();
  // The device outlives every session: a non-owning shared_ptr.
  std::shared_ptr<Device> deviceRef(std::shared_ptr<Device>(), device);

  std::vector<uint8_t> bytes(data, data + size);
  fixUpHeader(bytes);
  Result<std::shared_ptr<const ArtifactFile>> file = loadFromMemory(bytes);
  if (!file.ok())
    return 0;
  for (const auto *function : *file.value()->root().functions()) {
    device->resetBudget();
    Result<std::unique_ptr<Session>> session =
        Session::create(file.value(), function->name()->str(), deviceRef);
    if (session.ok())
      exercise(*session.value());
  }
  return 0;
}
