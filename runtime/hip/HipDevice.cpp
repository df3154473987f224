//===- HipDevice.cpp - Runs HSACO kernels through the HIP runtime ---------===//
//
// The kernel library is an AMDGPU code object (hipModuleLoadData). A dispatch
// is hipModuleLaunchKernel(grid = workgroup count, block = workgroup size,
// dynamic shared memory, the device's stream, params) with one device pointer
// parameter per binding, in order. The device runs "rocm" artifacts.
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Device.h"
#include "runtime/hip/HipRuntime.h"

namespace mllm::runtime {
namespace {

class HipKernels : public LoadedKernels {
public:
  HipKernels(const HipRuntime &hip, int ordinal) : hip(hip), ordinal(ordinal) {}
  ~HipKernels() override {
    if (module && hip.hipSetDevice(ordinal) == hipSuccess)
      (void)hip.hipModuleUnload(module);
  }
  const HipRuntime &hip;
  int ordinal;
  hipModule_t module = nullptr;
  std::vector<hipFunction_t> entries;
};

class HipDispatch : public PreparedDispatch {
public:
  hipFunction_t function;
  std::array<uint32_t, 3> grid, block;
  uint32_t sharedMemoryBytes;
  std::vector<hipDeviceptr_t> arguments;
  /// Pointers to each argument, as hipModuleLaunchKernel takes them.
  std::vector<void *> parameters;
};

void *toPointer(DeviceAddress address) {
  return reinterpret_cast<void *>(address);
}

class HipDevice : public Device {
public:
  static Result<std::unique_ptr<Device>> create();
  ~HipDevice() override {
    if (stream && bind().ok())
      (void)hip.hipStreamDestroy(stream);
  }

  const char *name() const override { return "hip"; }
  const char *target() const override { return "rocm"; }
  std::string description() const override { return text; }

  Result<std::unique_ptr<LoadedKernels>>
  loadKernels(const KernelImage &image) override {
    MLLM_RETURN_IF_ERROR(bind());
    auto kernels = std::make_unique<HipKernels>(hip, ordinal);
    if (image.entryPoints.empty())
      return std::unique_ptr<LoadedKernels>(std::move(kernels));
    if (hipError_t result = hip.hipModuleLoadData(&kernels->module, image.data);
        result != hipSuccess)
      return Status::error(hip.describe(
          result, "cannot load the HSACO (" + image.arch + ") on " + text));
    for (const std::string &entry : image.entryPoints) {
      hipFunction_t function;
      MLLM_RETURN_IF_ERROR(hip.check(
          hip.hipModuleGetFunction(&function, kernels->module, entry.c_str()),
          "the HSACO has no entry point '" + entry + "'"));
      kernels->entries.push_back(function);
    }
    return std::unique_ptr<LoadedKernels>(std::move(kernels));
  }

  Result<DeviceAddress> allocate(uint64_t size) override {
    if (size == 0)
      return DeviceAddress(0);
    MLLM_RETURN_IF_ERROR(bind());
    void *pointer = nullptr;
    MLLM_RETURN_IF_ERROR(hip.check(hip.hipMalloc(&pointer, size),
                                   "cannot allocate " + std::to_string(size) +
                                       " bytes on " + text));
    Status zeroed = hip.check(hip.hipMemsetAsync(pointer, 0, size, stream),
                              "cannot clear device memory");
    if (zeroed.ok())
      zeroed = synchronize();
    if (!zeroed.ok()) {
      (void)hip.hipFree(pointer);
      return zeroed;
    }
    return reinterpret_cast<DeviceAddress>(pointer);
  }

  void deallocate(DeviceAddress address) override {
    if (address && bind().ok())
      (void)hip.hipFree(toPointer(address));
  }

  Result<DeviceAddress> importReadOnly(const void *data,
                                       uint64_t size) override {
    Result<DeviceAddress> address = allocate(size);
    if (!address.ok())
      return address;
    Status copied = copyToDevice(address.value(), data, size);
    if (!copied.ok()) {
      deallocate(address.value());
      return copied;
    }
    return address;
  }
  void releaseReadOnly(DeviceAddress address) override { deallocate(address); }

  Status copyToDevice(DeviceAddress target, const void *source,
                      uint64_t size) override {
    if (size == 0)
      return {};
    MLLM_RETURN_IF_ERROR(bind());
    MLLM_RETURN_IF_ERROR(hip.check(
        hip.hipMemcpyHtoDAsync(toPointer(target), const_cast<void *>(source),
                               size, stream),
        "cannot copy to " + text));
    return synchronize();
  }

  Status copyToHost(void *target, DeviceAddress source,
                    uint64_t size) override {
    if (size == 0)
      return {};
    MLLM_RETURN_IF_ERROR(bind());
    MLLM_RETURN_IF_ERROR(hip.check(
        hip.hipMemcpyDtoHAsync(target, toPointer(source), size, stream),
        "cannot copy from " + text));
    return synchronize();
  }

  Status copyOnDevice(DeviceAddress target, DeviceAddress source,
                      uint64_t size) override {
    if (size == 0)
      return {};
    MLLM_RETURN_IF_ERROR(bind());
    return hip.check(hip.hipMemcpyDtoDAsync(toPointer(target),
                                            toPointer(source), size, stream),
                     "cannot copy on " + text);
  }

  Result<std::unique_ptr<PreparedDispatch>>
  prepareDispatch(LoadedKernels &kernels,
                  const DispatchParams &params) override {
    if (!params.constants.empty())
      return Status::error("the kernel takes run-time sizes, which the hip "
                           "device does not support (dynamic shapes are "
                           "CPU-only for now)");
    auto dispatch = std::make_unique<HipDispatch>();
    dispatch->function =
        static_cast<HipKernels &>(kernels).entries.at(params.entryPoint);
    dispatch->grid = params.workgroupCount;
    dispatch->block = params.workgroupSize;
    dispatch->sharedMemoryBytes = params.sharedMemoryBytes;
    for (DeviceAddress address : params.bindings)
      dispatch->arguments.push_back(toPointer(address));
    for (hipDeviceptr_t &argument : dispatch->arguments)
      dispatch->parameters.push_back(&argument);
    return std::unique_ptr<PreparedDispatch>(std::move(dispatch));
  }

  Status launch(const PreparedDispatch &prepared) override {
    const auto &dispatch = static_cast<const HipDispatch &>(prepared);
    MLLM_RETURN_IF_ERROR(bind());
    return hip.check(hip.hipModuleLaunchKernel(
                         dispatch.function, dispatch.grid[0], dispatch.grid[1],
                         dispatch.grid[2], dispatch.block[0], dispatch.block[1],
                         dispatch.block[2], dispatch.sharedMemoryBytes, stream,
                         const_cast<void **>(dispatch.parameters.data()),
                         nullptr),
                     "cannot launch a kernel on " + text);
  }

  Status synchronize() override {
    MLLM_RETURN_IF_ERROR(bind());
    return hip.check(hip.hipStreamSynchronize(stream),
                     "a kernel or copy failed on " + text);
  }

private:
  explicit HipDevice(const HipRuntime &hip) : hip(hip) {}
  /// Makes the device current on the calling thread.
  Status bind() {
    return hip.check(hip.hipSetDevice(ordinal), "cannot use " + text);
  }

  const HipRuntime &hip;
  int ordinal = 0;
  hipStream_t stream = nullptr;
  std::string text = "the HIP device";
};

Result<std::unique_ptr<Device>> HipDevice::create() {
  Result<const HipRuntime *> runtime = HipRuntime::get();
  if (!runtime.ok())
    return runtime.status();
  const HipRuntime &hip = *runtime.value();
  MLLM_RETURN_IF_ERROR(hip.check(
      hip.hipInit(0), "no usable HIP device (hipInit failed; check the AMD "
                      "GPU driver, /dev/kfd, or use another device)"));
  int count = 0;
  if (hipError_t result = hip.hipGetDeviceCount(&count);
      result == hipErrorNoDevice || (result == hipSuccess && count == 0))
    return Status::error("no HIP device found");
  else
    MLLM_RETURN_IF_ERROR(hip.check(result, "cannot count HIP devices"));

  std::unique_ptr<HipDevice> device(new HipDevice(hip));
  hipDevice_t handle;
  MLLM_RETURN_IF_ERROR(
      hip.check(hip.hipDeviceGet(&handle, 0), "cannot open HIP device 0"));
  char name[256] = {};
  MLLM_RETURN_IF_ERROR(
      hip.check(hip.hipDeviceGetName(name, sizeof(name) - 1, handle),
                "cannot query HIP device 0"));
  device->text = name;
  MLLM_RETURN_IF_ERROR(device->bind());
  MLLM_RETURN_IF_ERROR(hip.check(
      hip.hipStreamCreateWithFlags(&device->stream, hipStreamNonBlocking),
      "cannot create a stream on " + device->text));
  return std::unique_ptr<Device>(std::move(device));
}

} // namespace

MLLM_REGISTER_DEVICE(hip, HipDevice::create);

} // namespace mllm::runtime
