//===- Device.h - What a device provides to the runtime ----------*- C++
//-*-===//
//
// Every device (cpu, cuda, hip) implements this small interface in its own
// folder and registers itself with MLLM_REGISTER_DEVICE; nothing else in the
// runtime knows about it. The session calls prepare* while it is created and
// only launch/copy/synchronize while it runs, so a run allocates nothing.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CORE_DEVICE_H
#define MLLM_RUNTIME_CORE_DEVICE_H

#include "compiler/artifact/Artifact_generated.h"
#include "runtime/core/Status.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mllm::runtime {

/// An address in the device's memory (a host pointer on the CPU, a
/// CUdeviceptr or hipDeviceptr_t on GPUs). Addresses are flat: base + offset
/// is the address of a byte inside an allocation.
using DeviceAddress = uint64_t;

/// The kernel binary of an artifact, borrowed from the mapped file.
struct KernelImage {
  mllmc::artifact::fb::KernelFormat format;
  std::string arch;
  const uint8_t *data;
  uint64_t size;
  std::vector<std::string> entryPoints;
};

/// Kernels loaded on a device; an entry point is an index into
/// KernelImage::entryPoints.
class LoadedKernels {
public:
  virtual ~LoadedKernels() = default;
};

/// One dispatch of an entry point with all its addresses resolved.
struct DispatchParams {
  uint32_t entryPoint = 0;
  std::array<uint32_t, 3> workgroupCount{1, 1, 1};
  std::array<uint32_t, 3> workgroupSize{1, 1, 1};
  uint32_t sharedMemoryBytes = 0;
  std::vector<DeviceAddress> bindings;
  /// Run-time sizes the kernel takes after the bindings (schema 1.2).
  std::vector<int64_t> constants;
};

/// A dispatch in the form the device launches without further work.
class PreparedDispatch {
public:
  virtual ~PreparedDispatch() = default;
};

class Device {
public:
  virtual ~Device() = default;

  /// The name it is opened by: "cpu", "cuda", "hip".
  virtual const char *name() const = 0;
  /// The artifact target it runs: "cpu", "cuda", "rocm".
  virtual const char *target() const = 0;
  /// For people: "NVIDIA H100 80GB HBM3 (sm_90)".
  virtual std::string description() const = 0;

  /// Loads the kernel library and resolves every entry point.
  virtual Result<std::unique_ptr<LoadedKernels>>
  loadKernels(const KernelImage &image) = 0;

  /// Allocates `size` bytes (zeroed); `size` may be 0.
  virtual Result<DeviceAddress> allocate(uint64_t size) = 0;
  virtual void deallocate(DeviceAddress address) = 0;

  /// Makes read-only host memory that outlives the result available to
  /// kernels: the CPU uses it in place, GPUs copy it into a new allocation.
  /// Release the result with releaseReadOnly.
  virtual Result<DeviceAddress> importReadOnly(const void *data,
                                               uint64_t size) = 0;
  virtual void releaseReadOnly(DeviceAddress address) = 0;

  /// Copies between host and device after all work issued before; complete
  /// when they return.
  virtual Status copyToDevice(DeviceAddress target, const void *source,
                              uint64_t size) = 0;
  virtual Status copyToHost(void *target, DeviceAddress source,
                            uint64_t size) = 0;

  /// Copies on the device, ordered after work issued before; may complete
  /// later (see synchronize).
  virtual Status copyOnDevice(DeviceAddress target, DeviceAddress source,
                              uint64_t size) = 0;

  virtual Result<std::unique_ptr<PreparedDispatch>>
  prepareDispatch(LoadedKernels &kernels, const DispatchParams &params) = 0;
  /// Launches a prepared dispatch, ordered after work issued before; may
  /// complete later (see synchronize).
  virtual Status launch(const PreparedDispatch &dispatch) = 0;

  /// Waits until all issued work completed.
  virtual Status synchronize() = 0;
};

using DeviceFactory = Result<std::unique_ptr<Device>> (*)();

/// Adds a device to the registry; use MLLM_REGISTER_DEVICE.
bool registerDevice(const char *name, DeviceFactory factory);

/// Opens the device named `name`; the message lists the known ones.
Result<std::unique_ptr<Device>> openDevice(const std::string &name);

/// Names of all registered devices, sorted, joined by ", ".
std::string registeredDeviceNames();

/// Registers `factory` under the identifier `name` (`cpu`) when the runtime
/// library loads. Device folders are OBJECT libraries linked into the shared
/// runtime, so the registration is never dropped by the linker.
#define MLLM_REGISTER_DEVICE(name, factory)                                    \
  static const bool mllmDeviceRegistered_##name =                              \
      ::mllm::runtime::registerDevice(#name, factory)

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_DEVICE_H
