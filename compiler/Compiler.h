//===- Compiler.h - The phases of mllmc -------------------------*- C++ -*-===//
//
// A model goes through named phases, like IREE's `--compile-to`:
//
//   import    ONNX (or mllm text) → `mllm` dialect, one function per component
//   fusion    exporter subgraphs raised to mllm.attention / mllm.mlp / norms
//   linalg    mllm → linalg on tensors, weights outlined, elementwise fused
//   dispatch  entry functions split into dispatches, arena planned
//   end       dispatches bufferized and compiled for the target → artifact
//
//===----------------------------------------------------------------------===//

#ifndef MLLMC_COMPILER_COMPILER_H
#define MLLMC_COMPILER_COMPILER_H

#include "compiler/artifact/ArtifactWriter.h"
#include "targets/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>
#include <vector>

namespace mllmc {

enum class Phase { Import, Fusion, Linalg, Dispatch, End };

/// The phase named `name` ("import", ..., "end"), if any.
std::optional<Phase> parsePhase(llvm::StringRef name);

/// A textual pass pipeline that runs on the module right after a phase
/// (`mllmc --add-passes=PHASE:PIPELINE`).
struct AddedPipeline {
  Phase phase;
  std::string pipeline;
};

struct CompileOptions {
  TargetOptions targetOptions;
  /// The last phase to run.
  Phase compileTo = Phase::End;
  /// Run in order, each right after its phase (fusion, linalg or dispatch).
  std::vector<AddedPipeline> addedPipelines;
  /// Skips the fusion passes (the phase still runs its added pipelines):
  /// attention and projectors lower op by op, for comparison.
  bool noFusion = false;
};

/// Runs the phases after import, up to `options.compileTo` but never `end`,
/// on `module` in place, each followed by its added pipelines.
mlir::LogicalResult runPhases(mlir::ModuleOp module, const Target &target,
                              const CompileOptions &options);

/// The `end` phase: compiles the dispatches of `module` (after the dispatch
/// phase) for `target` and describes the result as an artifact. Weight bytes
/// are borrowed from `module`.
mlir::FailureOr<artifact::Artifact>
generateArtifact(mlir::ModuleOp module, const Target &target,
                 const CompileOptions &options);

} // namespace mllmc

#endif // MLLMC_COMPILER_COMPILER_H
