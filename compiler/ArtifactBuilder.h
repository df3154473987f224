//===- ArtifactBuilder.h - A compiled program as an artifact ----*- C++ -*-===//

#ifndef MLLMC_COMPILER_ARTIFACTBUILDER_H
#define MLLMC_COMPILER_ARTIFACTBUILDER_H

#include "compiler/artifact/ArtifactWriter.h"
#include "targets/Target.h"

#include "mlir/IR/BuiltinOps.h"

namespace mllmc {

/// Describes the planned host program of `module` (entry functions after
/// dispatch formation and memory planning, weight globals) with the kernels
/// of `executable` as an artifact. Weight bytes are borrowed from the
/// module's attributes, so `module` must outlive the artifact. Emits
/// diagnostics and returns failure on what the format cannot express.
mlir::FailureOr<artifact::Artifact> buildArtifact(mlir::ModuleOp module,
                                                  TargetExecutable executable,
                                                  llvm::StringRef targetName);

} // namespace mllmc

#endif // MLLMC_COMPILER_ARTIFACTBUILDER_H
