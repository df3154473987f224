//===- Target.h - What every code generation target is ----------*- C++ -*-===//
//
// A target turns the dispatch functions of a compiled program (bufferized,
// memref-based linalg, one function per dispatch) into one binary blob of
// kernels, and says for each dispatch which kernels to launch, how, and on
// which of the dispatch function's arguments. Adding a target means adding a
// folder under targets/ that registers an implementation of this interface.
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_TARGETS_TARGET_H
#define MLLMC_TARGETS_TARGET_H

#include "compiler/artifact/ArtifactWriter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mllmc {

/// Options every target understands; a target ignores what it has no use for.
struct TargetOptions {
  /// Architecture to generate code for ("sm_90", "gfx942", "x86-64-v3",
  /// "host"); empty selects the target's default.
  std::string arch;
  /// Root folder of the vendor toolkit (CUDA, ROCm); empty selects the
  /// target's default.
  std::string toolkitPath;
  /// Applied to every pass manager the target creates, so that command-line
  /// instrumentation (--mlir-print-ir-after-all, --mlir-timing) sees it.
  std::function<mlir::LogicalResult(mlir::PassManager &)> configurePassManager;
};

/// A pass manager on `context` configured by `options`, running `pipeline`
/// (textual) on `module`.
mlir::LogicalResult runPipeline(mlir::ModuleOp module, llvm::StringRef pipeline,
                                const TargetOptions &options);

/// One kernel launch that executes (part of) a dispatch.
struct KernelLaunch {
  std::string entryPoint;
  std::array<uint32_t, 3> workgroupCount{1, 1, 1};
  std::array<uint32_t, 3> workgroupSize{1, 1, 1};
  uint32_t sharedMemoryBytes = 0;
  /// For each kernel parameter, the index of the dispatch function argument
  /// whose buffer it receives.
  std::vector<unsigned> arguments;
  /// A run-time size the kernel receives after the buffers: dim `axis` of
  /// the dispatch function's tensor argument `argument`, or, with `axis` -1,
  /// the value of its index argument `argument`.
  struct SizeArgument {
    unsigned argument;
    int axis;
  };
  std::vector<SizeArgument> sizes;
};

/// What a target produced for a whole program.
struct TargetExecutable {
  artifact::KernelFormat format;
  std::string arch;
  std::vector<uint8_t> binary;
  /// The launches of each dispatch function, in execution order.
  llvm::StringMap<std::vector<KernelLaunch>> launches;
};

class Target {
public:
  virtual ~Target() = default;
  /// The name users pass to `--target=`.
  virtual llvm::StringRef getName() const = 0;
  /// The architectures users may pass to `--gpu-arch=`/`--cpu=`, for help
  /// texts and error messages.
  virtual llvm::StringRef getArchHelp() const = 0;
  /// Lowers `dispatches`, a module holding only dispatch functions on memrefs
  /// (inputs first, then one output argument per result), to kernels. Emits
  /// diagnostics and returns failure when it cannot.
  virtual mlir::FailureOr<TargetExecutable>
  build(mlir::ModuleOp dispatches, const TargetOptions &options) const = 0;
  /// Buffer alignment the target's kernels expect.
  virtual uint64_t getBufferAlignment() const { return 256; }
  /// Whether the target compiles dispatches whose shapes are known only at
  /// run time (KernelLaunch::sizes).
  virtual bool supportsDynamicShapes() const { return false; }
  /// Options of convert-mllm-to-linalg that suit the target's kernels, in the
  /// pass's textual form ("flash-query-tile=1"); empty keeps its defaults.
  virtual std::string getLinalgLoweringOptions() const { return ""; }
  /// Passes (textual pipeline) that adapt the whole program after memory
  /// planning, on tensors: the host program, its weights and the dispatch
  /// functions, before the dispatches are bufferized and built. The CPU
  /// stores the weights its matmuls read in column panels. Empty for none.
  virtual std::string getProgramPipeline(const TargetOptions &options) const {
    return "";
  }
};

/// Makes a target available by name; called from a static registration object
/// in the target's own folder.
void registerTarget(std::function<std::unique_ptr<Target>()> factory);
/// The target named `name`, or nullptr.
const Target *lookupTarget(llvm::StringRef name);
/// The names of all registered targets, sorted.
std::vector<std::string> getTargetNames();

/// Registers a target when the translation unit that defines it is linked.
template <typename TargetT> struct TargetRegistration {
  TargetRegistration() {
    registerTarget([] { return std::make_unique<TargetT>(); });
  }
};

} // namespace mllmc

#endif // MLLMC_TARGETS_TARGET_H
