//===- ArtifactFile.cpp - A verified, mapped .mllm file -------------------===//

#include "runtime/core/ArtifactFile.h"

#include "compiler/artifact/ArtifactFormat.h"
#include "runtime/core/ArtifactChecks.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace mllm::runtime {

using namespace mllmc::artifact;

std::string formatSchemaVersion(uint32_t version) {
  return std::to_string(version >> 16) + "." + std::to_string(version & 0xffff);
}

namespace {

/// Checks the fixed header against the size of the file.
Status checkHeader(const FileHeader &header, uint64_t actualSize,
                   const std::string &path) {
  if (header.headerVersion != kHeaderVersion)
    return Status::error("'" + path + "' has artifact header version " +
                         std::to_string(header.headerVersion) +
                         ", this runtime reads version " +
                         std::to_string(kHeaderVersion) +
                         "; recompile the model with a matching mllmc or use a "
                         "matching runtime");
  if (header.fileSize > actualSize)
    return Status::error("'" + path + "' is truncated: its header says " +
                         std::to_string(header.fileSize) +
                         " bytes, the file has " + std::to_string(actualSize));
  if (header.fileSize < actualSize)
    return Status::error("'" + path + "' has " + std::to_string(actualSize) +
                         " bytes but its header says " +
                         std::to_string(header.fileSize) +
                         " (extra bytes after the end)");
  auto inside = [&](uint64_t offset, uint64_t size) {
    return offset >= kHeaderSize && offset <= actualSize &&
           size <= actualSize - offset;
  };
  if (header.headerSize != kHeaderSize ||
      !inside(header.flatbufferOffset, header.flatbufferSize) ||
      !inside(header.weightsOffset, header.weightsSize) ||
      header.weightsOffset < header.flatbufferOffset + header.flatbufferSize ||
      header.flatbufferOffset % 8 != 0 ||
      (header.weightsSize != 0 &&
       header.weightsOffset % kWeightsSectionAlignment != 0))
    return Status::error("'" + path +
                         "' is corrupted: its header describes sections that "
                         "do not fit the file");
  return {};
}

} // namespace

Result<std::shared_ptr<const ArtifactFile>>
ArtifactFile::load(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::error("cannot open artifact '" + path +
                         "': " + std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return Status::error("cannot read artifact '" + path +
                         "': " + std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::error("cannot read artifact '" + path +
                         "': it is not a regular file");
  }
  uint64_t size = info.st_size;
  if (size < kMagic.size()) {
    ::close(fd);
    return Status::error("'" + path + "' is not an mllmc artifact (" +
                         std::to_string(size) + " bytes)");
  }

  std::shared_ptr<ArtifactFile> file(new ArtifactFile());
  file->filePath = path;
  file->mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (file->mapping == MAP_FAILED) {
    file->mapping = nullptr;
    return Status::error("cannot map artifact '" + path +
                         "': " + std::strerror(errno));
  }
  file->mappingSize = size;
  const auto *bytes = static_cast<const uint8_t *>(file->mapping);

  if (!hasMagic(bytes))
    return Status::error("'" + path +
                         "' is not an mllmc artifact (wrong magic bytes)");
  if (size < kHeaderSize)
    return Status::error("'" + path + "' is truncated: " +
                         std::to_string(size) + " bytes, less than the " +
                         std::to_string(kHeaderSize) + "-byte header");
  FileHeader header = decodeHeader(bytes);
  MLLM_RETURN_IF_ERROR(checkHeader(header, size, path));

  uLong crc = crc32_z(0, nullptr, 0);
  crc = crc32_z(crc, bytes + kHeaderSize, size - kHeaderSize);
  if (static_cast<uint32_t>(crc) != header.crc32)
    return Status::error("'" + path +
                         "' is corrupted: its checksum does not match (the "
                         "file changed after it was written)");

  const uint8_t *flatbuffer = bytes + header.flatbufferOffset;
  flatbuffers::Verifier verifier(flatbuffer, header.flatbufferSize);
  if (!fb::VerifyArtifactBuffer(verifier))
    return Status::error("'" + path +
                         "' is corrupted: its flatbuffer section is malformed");
  file->artifact = fb::GetArtifact(flatbuffer);

  uint32_t version = file->artifact->schema_version();
  if ((version >> 16) != kSchemaVersionMajor)
    return Status::error(
        "'" + path + "' uses artifact schema " + formatSchemaVersion(version) +
        ", this runtime reads schema " + formatSchemaVersion(kSchemaVersion) +
        ((version >> 16) > kSchemaVersionMajor
             ? "; use a newer mllmc runtime"
             : "; recompile the model with this release of mllmc"));

  file->weightsBase = bytes + header.weightsOffset;
  file->weightsBytes = header.weightsSize;
  MLLM_RETURN_IF_ERROR(
      checkArtifact(*file->artifact, header.weightsSize, path));
  return std::shared_ptr<const ArtifactFile>(std::move(file));
}

ArtifactFile::~ArtifactFile() {
  if (mapping)
    ::munmap(mapping, mappingSize);
}

const fb::Function *ArtifactFile::findFunction(const std::string &name) const {
  for (const fb::Function *function : *artifact->functions())
    if (function->name()->str() == name)
      return function;
  return nullptr;
}

const uint8_t *ArtifactFile::kernelBinary() const {
  return artifact->kernels()->binary()->data();
}

uint64_t ArtifactFile::kernelBinarySize() const {
  return artifact->kernels()->binary()->size();
}

} // namespace mllm::runtime
