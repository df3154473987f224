//===- CudaTarget.cpp - Kernels for NVIDIA GPUs ---------------------------===//
//
// Dispatch functions → gpu kernels → NVVM → PTX → cubin for the requested
// sm, assembled by the CUDA toolkit's ptxas.
//
//===----------------------------------------------------------------------===//

#include "targets/gpu/GpuKernels.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace mlir;

namespace mllmc::cuda {
namespace {

constexpr llvm::StringLiteral kArchitectures[] = {"sm_80", "sm_86", "sm_89",
                                                  "sm_90"};

/// The CUDA toolkit: the user's choice, else $CUDA_HOME, else /usr/local/cuda.
std::string findToolkit(const TargetOptions &options) {
  if (!options.toolkitPath.empty())
    return options.toolkitPath;
  if (const char *home = std::getenv("CUDA_HOME"))
    return home;
  return "/usr/local/cuda";
}

class CudaTarget final : public Target {
public:
  llvm::StringRef getName() const override { return "cuda"; }
  llvm::StringRef getArchHelp() const override {
    return "sm_80, sm_86, sm_89 or sm_90 (default sm_80)";
  }
  std::string getLinalgLoweringOptions() const override {
    return gpu::kLinalgLoweringOptions.str();
  }

  FailureOr<TargetExecutable>
  build(ModuleOp dispatches, const TargetOptions &options) const override {
    std::string arch = options.arch.empty() ? "sm_80" : options.arch;
    if (!llvm::is_contained(kArchitectures, arch))
      return dispatches.emitError() << "unsupported CUDA architecture '" << arch
                                    << "'; use " << getArchHelp();
    std::string toolkit = findToolkit(options);
    std::string ptxas = toolkit + "/bin/ptxas";
    if (!llvm::sys::fs::can_execute(ptxas))
      return dispatches.emitError()
             << "cannot find ptxas at " << ptxas
             << "; install the CUDA toolkit or pass --cuda-toolkit=DIR";

    if (failed(gpu::formKernels(dispatches, options)))
      return failure();
    std::string pipeline =
        "nvvm-attach-target{chip=" + arch +
        " O=3}, gpu.module(convert-scf-to-cf, expand-strided-metadata, "
        "lower-affine, "
        "convert-gpu-to-nvvm{use-bare-ptr-memref-call-"
        "conv=1}, reconcile-unrealized-casts), gpu-module-to-binary{format=bin "
        "toolkit=" +
        toolkit + "}";
    if (failed(runPipeline(dispatches, pipeline, options)))
      return failure();
    return gpu::collectExecutable(dispatches, artifact::KernelFormat::Cubin,
                                  arch);
  }
};

TargetRegistration<CudaTarget> registration;

} // namespace
} // namespace mllmc::cuda
