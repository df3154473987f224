//===- RocmTarget.cpp - Kernels for AMD GPUs ------------------------------===//
//
// Dispatch functions → gpu kernels → ROCDL → AMDGPU code object (HSACO) for
// the requested gfx, linked with the AMD device libraries by lld.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuKernels.h"
#include "targets/rocm/RocmToolkit.h"

using namespace mlir;

namespace mllmc::rocm {
namespace {

constexpr llvm::StringLiteral kArchitectures[] = {"gfx90a", "gfx942",
                                                  "gfx1100"};

class RocmTarget final : public Target {
public:
  llvm::StringRef getName() const override { return "rocm"; }
  llvm::StringRef getArchHelp() const override {
    return "gfx90a, gfx942 or gfx1100 (default gfx942)";
  }
  std::string getLinalgLoweringOptions() const override {
    return gpu::kLinalgLoweringOptions.str();
  }

  FailureOr<TargetExecutable>
  build(ModuleOp dispatches, const TargetOptions &options) const override {
    std::string arch = options.arch.empty() ? "gfx942" : options.arch;
    if (!llvm::is_contained(kArchitectures, arch))
      return dispatches.emitError() << "unsupported ROCm architecture '" << arch
                                    << "'; use " << getArchHelp();
    RocmToolkit toolkit;
    std::string error;
    if (failed(toolkit.prepare(options.toolkitPath, error)))
      return dispatches.emitError() << error;

    if (failed(gpu::formKernels(dispatches, options)))
      return failure();
    std::string pipeline = "rocdl-attach-target{chip=" + arch +
                           " O=3}, gpu.module(convert-scf-to-cf, "
                           "expand-strided-metadata, lower-affine, "
                           "convert-gpu-to-rocdl{use-bare-ptr-memref-call-"
                           "conv=1 runtime=HIP}, reconcile-unrealized-casts), "
                           "gpu-module-to-binary{format=bin toolkit=" +
                           toolkit.getRoot().str() + "}";
    if (failed(runPipeline(dispatches, pipeline, options)))
      return failure();
    return gpu::collectExecutable(dispatches, artifact::KernelFormat::Hsaco,
                                  arch);
  }
};

TargetRegistration<RocmTarget> registration;

} // namespace
} // namespace mllmc::rocm
