//===- ArtifactChecks.h - Semantic checks of an artifact ---------*- C++
//-*-===//
//
// What the flatbuffers Verifier cannot know: every enum value is one this
// runtime understands, every index points at something, every byte range lies
// inside the arena or the weights section, every signature fits its buffer.
// After these pass, the runtime indexes without further checks.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CORE_ARTIFACTCHECKS_H
#define MLLM_RUNTIME_CORE_ARTIFACTCHECKS_H

#include "compiler/artifact/Artifact_generated.h"
#include "runtime/core/Status.h"

#include <string>

namespace mllm::runtime {

/// Checks `artifact` (already structurally verified) whose weights section
/// holds `weightsSize` bytes. Messages start with `path`.
Status checkArtifact(const mllmc::artifact::fb::Artifact &artifact,
                     uint64_t weightsSize, const std::string &path);

/// Bytes of a tensor with `dims`, counting dynamic dims as 1; fails on
/// overflow or on dims below -1.
Result<uint64_t>
minimumByteSize(const mllmc::artifact::fb::TensorSignature &signature);

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_ARTIFACTCHECKS_H
