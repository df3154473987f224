//===- CudaDevice.cpp - Runs cubin kernels through the CUDA driver --------===//
//
// The kernel library is a cubin (cuModuleLoadData). A dispatch is
// cuLaunchKernel(grid = workgroup count, block = workgroup size, dynamic
// shared memory, the device's stream, params) with one CUdeviceptr parameter
// per binding, in order. Work is queued on one stream; copies to and from the
// host and synchronize() wait for it.
//
//===----------------------------------------------------------------------===//

#include "runtime/core/Device.h"
#include "runtime/cuda/CudaDriver.h"

namespace mllm::runtime {
namespace {

class CudaKernels : public LoadedKernels {
public:
  CudaKernels(const CudaDriver &cu, CUcontext context)
      : cu(cu), context(context) {}
  ~CudaKernels() override {
    if (module && cu.cuCtxSetCurrent(context) == CUDA_SUCCESS)
      cu.cuModuleUnload(module);
  }
  const CudaDriver &cu;
  CUcontext context;
  CUmodule module = nullptr;
  std::vector<CUfunction> entries;
};

class CudaDispatch : public PreparedDispatch {
public:
  CUfunction function;
  std::array<uint32_t, 3> grid, block;
  uint32_t sharedMemoryBytes;
  std::vector<CUdeviceptr> arguments;
  /// Pointers to each argument, as cuLaunchKernel takes them.
  std::vector<void *> parameters;
};

class CudaDevice : public Device {
public:
  static Result<std::unique_ptr<Device>> create();
  ~CudaDevice() override;

  const char *name() const override { return "cuda"; }
  const char *target() const override { return "cuda"; }
  std::string description() const override { return text; }

  Result<std::unique_ptr<LoadedKernels>>
  loadKernels(const KernelImage &image) override {
    MLLM_RETURN_IF_ERROR(bind());
    auto kernels = std::make_unique<CudaKernels>(cu, context);
    if (image.entryPoints.empty())
      return std::unique_ptr<LoadedKernels>(std::move(kernels));
    if (CUresult result = cu.cuModuleLoadData(&kernels->module, image.data);
        result != CUDA_SUCCESS)
      return Status::error(cu.describe(
          result, "cannot load the cubin (" + image.arch + ") on " + text));
    for (const std::string &entry : image.entryPoints) {
      CUfunction function;
      MLLM_RETURN_IF_ERROR(cu.check(
          cu.cuModuleGetFunction(&function, kernels->module, entry.c_str()),
          "the cubin has no entry point '" + entry + "'"));
      kernels->entries.push_back(function);
    }
    return std::unique_ptr<LoadedKernels>(std::move(kernels));
  }

  Result<DeviceAddress> allocate(uint64_t size) override {
    if (size == 0)
      return DeviceAddress(0);
    MLLM_RETURN_IF_ERROR(bind());
    CUdeviceptr pointer;
    MLLM_RETURN_IF_ERROR(cu.check(cu.cuMemAlloc_v2(&pointer, size),
                                  "cannot allocate " + std::to_string(size) +
                                      " bytes on " + text));
    Status zeroed = cu.check(cu.cuMemsetD8Async(pointer, 0, size, stream),
                             "cannot clear device memory");
    if (zeroed.ok())
      zeroed = synchronize();
    if (!zeroed.ok()) {
      cu.cuMemFree_v2(pointer);
      return zeroed;
    }
    return DeviceAddress(pointer);
  }

  void deallocate(DeviceAddress address) override {
    if (address && bind().ok())
      cu.cuMemFree_v2(address);
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
    MLLM_RETURN_IF_ERROR(
        cu.check(cu.cuMemcpyHtoDAsync_v2(target, source, size, stream),
                 "cannot copy to " + text));
    return synchronize();
  }

  Status copyToHost(void *target, DeviceAddress source,
                    uint64_t size) override {
    if (size == 0)
      return {};
    MLLM_RETURN_IF_ERROR(bind());
    MLLM_RETURN_IF_ERROR(
        cu.check(cu.cuMemcpyDtoHAsync_v2(target, source, size, stream),
                 "cannot copy from " + text));
    return synchronize();
  }

  Status copyOnDevice(DeviceAddress target, DeviceAddress source,
                      uint64_t size) override {
    if (size == 0)
      return {};
    MLLM_RETURN_IF_ERROR(bind());
    return cu.check(cu.cuMemcpyDtoDAsync_v2(target, source, size, stream),
                    "cannot copy on " + text);
  }

  Result<std::unique_ptr<PreparedDispatch>>
  prepareDispatch(LoadedKernels &kernels,
                  const DispatchParams &params) override {
    if (!params.constants.empty())
      return Status::error("the kernel takes run-time sizes, which the cuda "
                           "device does not support (dynamic shapes are "
                           "CPU-only for now)");
    MLLM_RETURN_IF_ERROR(bind());
    auto dispatch = std::make_unique<CudaDispatch>();
    dispatch->function =
        static_cast<CudaKernels &>(kernels).entries.at(params.entryPoint);
    dispatch->grid = params.workgroupCount;
    dispatch->block = params.workgroupSize;
    dispatch->sharedMemoryBytes = params.sharedMemoryBytes;
    // Above 48 KiB, dynamic shared memory must be opted into per kernel.
    if (params.sharedMemoryBytes > 48 * 1024)
      MLLM_RETURN_IF_ERROR(cu.check(
          cu.cuFuncSetAttribute(dispatch->function,
                                CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                params.sharedMemoryBytes),
          "cannot give a kernel " + std::to_string(params.sharedMemoryBytes) +
              " bytes of shared memory on " + text));
    dispatch->arguments.assign(params.bindings.begin(), params.bindings.end());
    for (CUdeviceptr &argument : dispatch->arguments)
      dispatch->parameters.push_back(&argument);
    return std::unique_ptr<PreparedDispatch>(std::move(dispatch));
  }

  Status launch(const PreparedDispatch &prepared) override {
    const auto &dispatch = static_cast<const CudaDispatch &>(prepared);
    MLLM_RETURN_IF_ERROR(bind());
    return cu.check(cu.cuLaunchKernel(
                        dispatch.function, dispatch.grid[0], dispatch.grid[1],
                        dispatch.grid[2], dispatch.block[0], dispatch.block[1],
                        dispatch.block[2], dispatch.sharedMemoryBytes, stream,
                        const_cast<void **>(dispatch.parameters.data()),
                        nullptr),
                    "cannot launch a kernel on " + text);
  }

  Status synchronize() override {
    MLLM_RETURN_IF_ERROR(bind());
    return cu.check(cu.cuStreamSynchronize(stream),
                    "a kernel or copy failed on " + text);
  }

private:
  explicit CudaDevice(const CudaDriver &cu) : cu(cu) {}
  /// Makes the device's context current on the calling thread.
  Status bind() {
    return cu.check(cu.cuCtxSetCurrent(context), "cannot use " + text);
  }

  const CudaDriver &cu;
  CUdevice device = 0;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  std::string text = "the CUDA device";
};

Result<std::unique_ptr<Device>> CudaDevice::create() {
  Result<const CudaDriver *> driver = CudaDriver::get();
  if (!driver.ok())
    return driver.status();
  const CudaDriver &cu = *driver.value();
  MLLM_RETURN_IF_ERROR(cu.check(
      cu.cuInit(0), "no usable CUDA device (cuInit failed; check the NVIDIA "
                    "driver or use another device)"));
  int count = 0;
  MLLM_RETURN_IF_ERROR(
      cu.check(cu.cuDeviceGetCount(&count), "cannot count CUDA devices"));
  if (count == 0)
    return Status::error("no CUDA device found");

  std::unique_ptr<CudaDevice> device(new CudaDevice(cu));
  MLLM_RETURN_IF_ERROR(cu.check(cu.cuDeviceGet(&device->device, 0),
                                "cannot open CUDA device 0"));
  char name[256] = {};
  int major = 0, minor = 0;
  MLLM_RETURN_IF_ERROR(
      cu.check(cu.cuDeviceGetName(name, sizeof(name) - 1, device->device),
               "cannot query CUDA device 0"));
  MLLM_RETURN_IF_ERROR(cu.check(
      cu.cuDeviceGetAttribute(
          &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device->device),
      "cannot query CUDA device 0"));
  MLLM_RETURN_IF_ERROR(cu.check(
      cu.cuDeviceGetAttribute(
          &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device->device),
      "cannot query CUDA device 0"));
  device->text = std::string(name) + " (sm_" + std::to_string(major) +
                 std::to_string(minor) + ")";
  MLLM_RETURN_IF_ERROR(
      cu.check(cu.cuDevicePrimaryCtxRetain(&device->context, device->device),
               "cannot create a context on " + device->text));
  MLLM_RETURN_IF_ERROR(device->bind());
  MLLM_RETURN_IF_ERROR(
      cu.check(cu.cuStreamCreate(&device->stream, CU_STREAM_NON_BLOCKING),
               "cannot create a stream on " + device->text));
  return std::unique_ptr<Device>(std::move(device));
}

CudaDevice::~CudaDevice() {
  if (context && bind().ok() && stream)
    cu.cuStreamDestroy_v2(stream);
  if (context)
    cu.cuDevicePrimaryCtxRelease_v2(device);
}

} // namespace

MLLM_REGISTER_DEVICE(cuda, CudaDevice::create);

} // namespace mllm::runtime
