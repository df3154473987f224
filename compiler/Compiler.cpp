//===- Compiler.cpp - The phases of mllmc ---------------------------------===//

#include "compiler/Compiler.h"
#include "compiler/ArtifactBuilder.h"
#include "passes/HostProgram.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mllmc;

std::optional<Phase> mllmc::parsePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Phase>>(name)
      .Case("import", Phase::Import)
      .Case("fusion", Phase::Fusion)
      .Case("linalg", Phase::Linalg)
      .Case("dispatch", Phase::Dispatch)
      .Case("end", Phase::End)
      .Default(std::nullopt);
}

/// The pass pipeline of each phase after import.
static std::string getPhasePipeline(Phase phase, const Target &target) {
  switch (phase) {
  case Phase::Import:
  case Phase::End:
    return "";
  case Phase::Fusion:
    return "func.func(mllm-fuse-norm, mllm-fuse-attention, "
           "mllm-fuse-projector, canonicalize)";
  case Phase::Linalg:
    return "func.func(convert-mllm-to-linalg{" +
           target.getLinalgLoweringOptions() +
           "}), mllmc-fold-zero-trip-ops, "
           "canonicalize, "
           "mllmc-outline-constants, mllmc-fuse-elementwise, "
           "canonicalize, cse";
  case Phase::Dispatch:
    return "mllmc-form-dispatches, mllmc-plan-memory{alignment=" +
           std::to_string(target.getBufferAlignment()) + "}";
  }
  llvm_unreachable("unknown phase");
}

/// Dispatch functions on tensors → on memrefs, inputs first, then one output
/// argument per result, with no allocation left inside. The canonicalization
/// in between folds the memref iter_args of scf.for loops (top_k, cumsum,
/// scatter_nd), so that a loop's result is its allocation, which then
/// becomes the output argument.
static constexpr llvm::StringLiteral kBufferizeDispatches =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map}, canonicalize, "
    "buffer-results-to-out-params{hoist-static-allocs=1 "
    "hoist-dynamic-allocs=1 modify-public-functions=1}, canonicalize, cse";

/// Buffer copies that bufferization leaves in a dispatch (an input that must
/// not be written, a slice of a concatenation) become linalg copies, so every
/// target compiles them like any other kernel instead of calling a runtime
/// library.
static void convertCopiesToLinalg(ModuleOp module) {
  module.walk([](memref::CopyOp copy) {
    OpBuilder builder(copy);
    linalg::CopyOp::create(builder, copy.getLoc(), ValueRange{copy.getSource()},
                           ValueRange{copy.getTarget()});
    copy.erase();
  });
}

LogicalResult mllmc::runPhases(ModuleOp module, const Target &target,
                               const CompileOptions &options) {
  for (Phase phase : {Phase::Fusion, Phase::Linalg, Phase::Dispatch}) {
    if (phase > options.compileTo)
      break;
    std::string pipeline = phase == Phase::Fusion && options.noFusion
                               ? ""
                               : getPhasePipeline(phase, target);
    if (!pipeline.empty() &&
        failed(runPipeline(module, pipeline, options.targetOptions)))
      return failure();
    for (const AddedPipeline &added : options.addedPipelines)
      if (added.phase == phase &&
          failed(runPipeline(module, added.pipeline, options.targetOptions)))
        return failure();
  }
  return success();
}

FailureOr<artifact::Artifact>
mllmc::generateArtifact(ModuleOp module, const Target &target,
                        const CompileOptions &options) {
  for (auto func : module.getOps<func::FuncOp>())
    if (func->hasAttr(kArenaPlanAttr) && !target.supportsDynamicShapes())
      return func.emitError()
             << "dynamic shapes are CPU-only for now: target '"
             << target.getName()
             << "' needs static shapes; give the model's symbolic dimensions "
                "sizes with --bind-dim=NAME=SIZE";
  std::string programPipeline =
      target.getProgramPipeline(options.targetOptions);
  if (!programPipeline.empty() &&
      failed(runPipeline(module, programPipeline, options.targetOptions)))
    return failure();
  // The dispatches compile in a module of their own; `module` keeps the host
  // program and the weights for the artifact builder.
  OwningOpRef<ModuleOp> dispatches(cast<ModuleOp>(module->clone()));
  for (Operation &op :
       llvm::make_early_inc_range(dispatches->getBody()->getOperations())) {
    auto func = dyn_cast<func::FuncOp>(op);
    if (!func || !isDispatch(func))
      op.erase();
  }
  if (failed(runPipeline(*dispatches, kBufferizeDispatches,
                         options.targetOptions)))
    return failure();
  WalkResult allocations = dispatches->walk([](memref::AllocOp alloc) {
    alloc.emitError() << "this dispatch needs a temporary buffer, which the "
                         "memory plan cannot give it yet";
    return WalkResult::interrupt();
  });
  if (allocations.wasInterrupted())
    return failure();
  convertCopiesToLinalg(*dispatches);

  FailureOr<TargetExecutable> executable =
      target.build(*dispatches, options.targetOptions);
  if (failed(executable))
    return failure();
  return buildArtifact(module, std::move(*executable), target.getName());
}
