//===- CpuTarget.cpp - Kernels for the host CPU ---------------------------===//
//
// Matmul weights packed in column panels (mllmc-cpu-pack-matmul-weights, on
// the whole program); then dispatch functions → workgroups, register-tiled
// matmuls and vectorized linalg ops (mllmc-cpu-codegen) → loops → LLVM dialect
// → one object file (O3, for the requested CPU) → one shared object linked by
// lld, which the runtime loads from memory. Transcendental functions are
// expanded into polynomial approximations (on vectors), so kernels call no
// libm.
//
//===----------------------------------------------------------------------===//

#include "targets/Target.h"
#include "targets/cpu/CpuCodegen.h"
#include "targets/cpu/EntryPoints.h"
#include "targets/cpu/MathExpansion.h"
#include "targets/cpu/MatmulKernel.h"
#include "targets/cpu/ObjectEmitter.h"
#include "targets/cpu/PackedWeights.h"
#include "targets/cpu/RuntimeSizes.h"
#include "targets/cpu/SharedObjectLinker.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace mllmc::cpu {
namespace {

/// Everything between bufferized linalg and the LLVM dialect. bf16
/// arithmetic runs in f32 (after the linalg ops became loops: named ops'
/// bodies must stay as they are), and bf16 conversions become integer
/// arithmetic (no compiler-rt calls).
constexpr llvm::StringLiteral kLowerToLLVM =
    "func.func(convert-linalg-to-loops,"
    "arith-emulate-unsupported-floats{source-types=bf16 target-type=f32},"
    "arith-expand{include-bf16=1},"
    "convert-vector-to-scf{full-unroll=1},"
    "lower-affine, canonicalize, cse),"
    "convert-scf-to-cf, expand-strided-metadata, lower-affine,"
    "convert-vector-to-llvm, convert-ub-to-llvm, finalize-memref-to-llvm,"
    "convert-math-to-llvm, convert-arith-to-llvm,"
    "convert-index-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
    "convert-cf-to-llvm, reconcile-unrealized-casts";

LogicalResult expandMathFunctions(ModuleOp module) {
  RewritePatternSet patterns(module.getContext());
  // f32 tan and hyperbolic functions in libm's accurate forms; upstream's
  // expansions take the other float types.
  populateMathExpansionPatterns(patterns);
  math::populateExpansionPatterns(
      patterns, {"tan", "sinh", "cosh", "asinh", "acosh", "atanh"});
  populateMathPolynomialApproximationPatterns(patterns);
  return applyPatternsGreedily(module, std::move(patterns));
}

LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 const TargetOptions &options) {
  if (failed(expandMathFunctions(module)))
    return module.emitError() << "cannot expand math functions for the CPU";
  return runPipeline(module, kLowerToLLVM, options);
}

class CpuTarget final : public Target {
public:
  llvm::StringRef getName() const override { return "cpu"; }
  llvm::StringRef getArchHelp() const override {
    return "host, or an LLVM CPU name (default x86-64: runs on every x86-64 "
           "CPU; x86-64-v3 for AVX2, x86-64-v4 for AVX-512)";
  }
  uint64_t getBufferAlignment() const override { return 64; }
  bool supportsDynamicShapes() const override { return true; }
  /// Matmul weights packed in panels of the register tile's columns.
  std::string getProgramPipeline(const TargetOptions &options) const override {
    std::string error;
    FailureOr<HostCpu> cpu = resolveHostCpu(options.arch, error);
    if (failed(cpu))
      return ""; // build() reports the error.
    return getPackMatmulWeightsPipeline(
        chooseMatmulTiles(cpu->vectorWidth).columns);
  }

  FailureOr<TargetExecutable>
  build(ModuleOp dispatches, const TargetOptions &options) const override {
    std::string error;
    FailureOr<HostCpu> cpu = resolveHostCpu(options.arch, error);
    if (failed(cpu))
      return dispatches.emitError() << error;

    TargetExecutable executable;
    executable.format = artifact::KernelFormat::ElfSharedObject;
    executable.arch = cpu->name;
    SmallVector<func::FuncOp> funcs(dispatches.getOps<func::FuncOp>());
    SmallVector<KernelLaunch> launches;
    for (func::FuncOp func : funcs) {
      FailureOr<KernelLaunch> launch = passRuntimeSizes(func);
      if (failed(launch))
        return failure();
      launches.push_back(std::move(*launch));
    }

    if (failed(runPipeline(dispatches, getCodegenPipeline(cpu->vectorWidth),
                           options)))
      return failure();
    for (auto [func, launch] : llvm::zip(funcs, launches)) {
      if (auto count = func->getAttrOfType<IntegerAttr>(kWorkgroupCountAttr))
        launch.workgroupCount[0] = count.getInt();
      executable.launches[func.getName()].push_back(std::move(launch));
    }

    if (failed(lowerToLLVMDialect(dispatches, options)))
      return failure();
    addEntryPointWrappers(dispatches);
    FailureOr<std::vector<uint8_t>> object = emitObject(dispatches, *cpu);
    if (failed(object))
      return failure();
    FailureOr<std::vector<uint8_t>> library = linkSharedObject(*object, error);
    if (failed(library))
      return dispatches.emitError() << error;
    executable.binary = std::move(*library);
    return executable;
  }
};

TargetRegistration<CpuTarget> registration;

} // namespace
} // namespace mllmc::cpu
