//===- ArtifactFile.h - A verified, mapped .mllm file ------------*- C++
//-*-===//
//
// Loading maps the file read-only and verifies it completely before anything
// uses it: magic, sizes, CRC, flatbuffer structure, schema version, and every
// index and byte range (ArtifactChecks.h). A loaded ArtifactFile is immutable
// and shared by the sessions created from it.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CORE_ARTIFACTFILE_H
#define MLLM_RUNTIME_CORE_ARTIFACTFILE_H

#include "compiler/artifact/Artifact_generated.h"
#include "runtime/core/Status.h"

#include <cstdint>
#include <memory>
#include <string>

namespace mllm::runtime {

namespace fb = mllmc::artifact::fb;

class ArtifactFile {
public:
  /// Maps and verifies the artifact at `path`; the message names the file.
  static Result<std::shared_ptr<const ArtifactFile>>
  load(const std::string &path);

  ~ArtifactFile();
  ArtifactFile(const ArtifactFile &) = delete;
  ArtifactFile &operator=(const ArtifactFile &) = delete;

  const std::string &path() const { return filePath; }
  const fb::Artifact &root() const { return *artifact; }
  /// The function named `name`, or null.
  const fb::Function *findFunction(const std::string &name) const;

  /// The weights section: page aligned, read-only, mapped from the file.
  const uint8_t *weights() const { return weightsBase; }
  uint64_t weightsSize() const { return weightsBytes; }

  /// The kernel binary inside the mapped file.
  const uint8_t *kernelBinary() const;
  uint64_t kernelBinarySize() const;

private:
  ArtifactFile() = default;

  std::string filePath;
  void *mapping = nullptr;
  uint64_t mappingSize = 0;
  const fb::Artifact *artifact = nullptr;
  const uint8_t *weightsBase = nullptr;
  uint64_t weightsBytes = 0;
};

/// "1.0" for a packed (major << 16) | minor schema version.
std::string formatSchemaVersion(uint32_t version);

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CORE_ARTIFACTFILE_H
