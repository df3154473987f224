//===- ArtifactLoaderTest.cpp - Verification of artifacts on load ---------===//

#include "compiler/artifact/ArtifactFormat.h"
#include "compiler/artifact/Artifact_generated.h"
#include "mllm/runtime.h"
#include "test/runtime/SessionTestUtils.h"
#include "test/runtime/TestArtifacts.h"

#include <gtest/gtest.h>

using namespace mllm::test;
using namespace mllmc::artifact;

namespace {

/// The message of loading `path`, "" when it loads.
std::string loadError(const std::string &path) {
  mllm_artifact *artifact = nullptr;
  mllm_status status = mllm_artifact_load(path.c_str(), &artifact);
  std::string message = mllm_status_message(status);
  mllm_status_free(status);
  mllm_artifact_release(artifact);
  return message;
}

Artifact validArtifact() {
  return makeElementwiseArtifact({KernelFormat::ElfSharedObject,
                                  "x86-64",
                                  cpuKernelLibrary(),
                                  {"mllm_test_add", "mllm_test_exp_scale"}});
}

class ArtifactLoader : public ::testing::Test {
protected:
  /// Writes `artifact` and returns the message of loading it.
  std::string errorFor(const Artifact &artifact) {
    std::string written = writeArtifact(artifact, path);
    EXPECT_EQ(written, "");
    return loadError(path);
  }
  /// Writes the valid artifact and returns its bytes.
  std::vector<uint8_t> validBytes() {
    EXPECT_EQ(writeArtifact(validArtifact(), path), "");
    return readFile(path);
  }
  std::string rewrite(const std::vector<uint8_t> &bytes) {
    writeFile(path, bytes);
    return loadError(path);
  }

  TempDir dir;
  std::string path = dir.file("model.mllm");
};

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                   \
      << "message: " << (text)

TEST_F(ArtifactLoader, AcceptsAValidArtifact) {
  ASSERT_EQ(writeArtifact(validArtifact(), path), "");
  mllm_artifact *artifact = nullptr;
  mllm_status status = mllm_artifact_load(path.c_str(), &artifact);
  ASSERT_EQ(status, nullptr) << mllm_status_message(status);
  EXPECT_STREQ(mllm_artifact_target(artifact), "cpu");
  EXPECT_EQ(mllm_artifact_schema_version(artifact), kSchemaVersion);
  ASSERT_EQ(mllm_artifact_function_count(artifact), 1u);
  EXPECT_STREQ(mllm_artifact_function_name(artifact, 0), "main");
  EXPECT_EQ(mllm_artifact_function_name(artifact, 1), nullptr);
  mllm_artifact_release(artifact);
}

// A zero-element weight (a folded mask of an empty tensor) has no bytes and
// may have no data pointer; it must not disturb the checksum.
TEST_F(ArtifactLoader, AcceptsEmptyWeights) {
  std::vector<uint8_t> bytes(100, 0xab);
  Artifact artifact = validArtifact();
  artifact.weightsSize = 4096;
  artifact.weights = {{0, bytes.data(), bytes.size()}, {128, nullptr, 0}};
  EXPECT_EQ(errorFor(artifact), "");
}

TEST_F(ArtifactLoader, NamesAMissingFile) {
  std::string message = loadError(dir.file("absent.mllm"));
  EXPECT_CONTAINS(message, "cannot open artifact '" + dir.file("absent.mllm") +
                               "': No such file or directory");
}

TEST_F(ArtifactLoader, RefusesForeignFiles) {
  writeFile(path, {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
  EXPECT_CONTAINS(loadError(path), "'" + path + "' is not an mllmc artifact");
  writeFile(path, cpuKernelLibrary());
  EXPECT_CONTAINS(loadError(path), "'" + path + "' is not an mllmc artifact");
  writeFile(path, {});
  EXPECT_CONTAINS(loadError(path), "'" + path + "' is not an mllmc artifact");
  EXPECT_CONTAINS(loadError(dir.path()), "it is not a regular file");
}

TEST_F(ArtifactLoader, RefusesTruncatedFiles) {
  std::vector<uint8_t> bytes = validBytes();
  std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 100);
  EXPECT_CONTAINS(rewrite(cut),
                  "'" + path + "' is truncated: its header says " +
                      std::to_string(bytes.size()) + " bytes, the file has " +
                      std::to_string(cut.size()));
  cut.resize(30);
  EXPECT_CONTAINS(rewrite(cut), "'" + path + "' is truncated: 30 bytes");
  bytes.push_back(0);
  EXPECT_CONTAINS(rewrite(bytes), "extra bytes after the end");
}

TEST_F(ArtifactLoader, RefusesCorruptedFiles) {
  std::vector<uint8_t> bytes = validBytes();
  FileHeader header = decodeHeader(bytes.data());
  for (uint64_t offset :
       {header.flatbufferOffset + 20, header.flatbufferOffset + 1000,
        header.weightsOffset + 70, bytes.size() - 1}) {
    std::vector<uint8_t> flipped = bytes;
    flipped[offset] ^= 0x10;
    EXPECT_CONTAINS(rewrite(flipped),
                    "'" + path + "' is corrupted: its checksum does not match");
  }
}

TEST_F(ArtifactLoader, RefusesAMalformedFlatbufferWithAValidChecksum) {
  std::vector<uint8_t> bytes = validBytes();
  // The root offset now points past the flatbuffer.
  bytes[kHeaderSize] = 0xff;
  bytes[kHeaderSize + 1] = 0xff;
  bytes[kHeaderSize + 2] = 0xff;
  refreshChecksum(bytes);
  EXPECT_CONTAINS(rewrite(bytes), "'" + path +
                                      "' is corrupted: its flatbuffer section "
                                      "is malformed");
}

// The flatbuffers verifier accepts a vector of 8-byte structs at 4 mod 8
// (found by mllmc-fuzz-artifact-loader; reading such a BufferSlot is
// undefined behavior). A copy of the buffer list is placed so, in the
// padding before the weights, and the root table pointed at it.
TEST_F(ArtifactLoader, RefusesAMisalignedBufferList) {
  std::vector<uint8_t> bytes = validBytes();
  FileHeader header = decodeHeader(bytes.data());
  uint8_t *flatbuffer = bytes.data() + header.flatbufferOffset;
  const fb::Artifact *root = fb::GetArtifact(flatbuffer);
  // The root table's `buffers` field, found through its vtable.
  const auto *table = reinterpret_cast<const uint8_t *>(root);
  const uint8_t *vtable = table - flatbuffers::ReadScalar<int32_t>(table);
  const uint8_t *field = table + flatbuffers::ReadScalar<uint16_t>(
                                     vtable + fb::Artifact::VT_BUFFERS);
  const uint8_t *vector = field + flatbuffers::ReadScalar<uint32_t>(field);
  uint64_t vectorBytes =
      sizeof(uint32_t) + root->buffers()->size() * sizeof(fb::BufferSlot);
  // The length at 0 mod 8, so the structs after it start at 4 mod 8.
  uint64_t copyAt = alignTo(header.flatbufferSize, 8);
  ASSERT_LE(header.flatbufferOffset + copyAt + vectorBytes,
            header.weightsOffset);
  std::copy(vector, vector + vectorBytes, flatbuffer + copyAt);
  uint8_t *mutableField = flatbuffer + (field - flatbuffer);
  flatbuffers::WriteScalar<uint32_t>(
      mutableField, static_cast<uint32_t>(flatbuffer + copyAt - field));
  header.flatbufferSize = copyAt + vectorBytes;
  std::array<uint8_t, kHeaderSize> encoded = encodeHeader(header);
  std::copy(encoded.begin(), encoded.end(), bytes.begin());
  refreshChecksum(bytes);
  EXPECT_CONTAINS(rewrite(bytes),
                  "'" + path + "' is corrupted: its buffer list is misaligned");
}

TEST_F(ArtifactLoader, RefusesANewerSchemaMajorVersion) {
  std::vector<uint8_t> bytes = validBytes();
  uint32_t newer = (kSchemaVersionMajor + 1) << 16 | 3;
  ASSERT_TRUE(fb::GetMutableArtifact(bytes.data() + kHeaderSize)
                  ->mutate_schema_version(newer));
  refreshChecksum(bytes);
  std::string message = rewrite(bytes);
  EXPECT_CONTAINS(message, "'" + path + "' uses artifact schema " +
                               std::to_string(kSchemaVersionMajor + 1) +
                               ".3, this runtime reads schema " +
                               std::to_string(kSchemaVersionMajor) + "." +
                               std::to_string(kSchemaVersionMinor) +
                               "; use a newer mllmc runtime");
}

TEST_F(ArtifactLoader, AcceptsANewerSchemaMinorVersion) {
  std::vector<uint8_t> bytes = validBytes();
  ASSERT_TRUE(fb::GetMutableArtifact(bytes.data() + kHeaderSize)
                  ->mutate_schema_version(kSchemaVersion + 1));
  refreshChecksum(bytes);
  EXPECT_EQ(rewrite(bytes), "");
}

TEST_F(ArtifactLoader, RefusesAnotherHeaderVersion) {
  std::vector<uint8_t> bytes = validBytes();
  bytes[8] = kHeaderVersion + 1;
  EXPECT_CONTAINS(rewrite(bytes), "has artifact header version " +
                                      std::to_string(kHeaderVersion + 1));
}

TEST_F(ArtifactLoader, RefusesArenaSlotsPastTheArena) {
  Artifact artifact = validArtifact();
  artifact.buffers[4].offset = 300; // 300 + 32 > arena of 320
  EXPECT_CONTAINS(errorFor(artifact),
                  "'" + path +
                      "': function 'main': output 'scaled' uses "
                      "buffer 4 (arena, offset 300, size 32), which "
                      "ends past the arena (320 bytes)");
}

TEST_F(ArtifactLoader, RefusesWeightSlotsPastTheWeights) {
  Artifact artifact = validArtifact();
  artifact.buffers[3].offset = 128;
  EXPECT_CONTAINS(errorFor(artifact),
                  "buffer 3 (weights, offset 128, size 32) ends past the "
                  "weights section (128 bytes)");
}

TEST_F(ArtifactLoader, RefusesOverflowingSlots) {
  Artifact artifact = validArtifact();
  artifact.buffers[2].offset = ~0ull - 8;
  EXPECT_CONTAINS(errorFor(artifact), "which ends past the arena");
}

TEST_F(ArtifactLoader, RefusesBindingsOutOfRange) {
  Artifact artifact = validArtifact();
  std::get<DispatchCommand>(artifact.functions[0].commands[1]).bindings[1] = 6;
  EXPECT_CONTAINS(errorFor(artifact), "function 'main': command 1 binding 1 "
                                      "uses buffer 6, but the artifact has 6 "
                                      "buffers");
}

TEST_F(ArtifactLoader, RefusesEntryPointsOutOfRange) {
  Artifact artifact = validArtifact();
  std::get<DispatchCommand>(artifact.functions[0].commands[0]).entryPoint = 2;
  EXPECT_CONTAINS(errorFor(artifact), "command 0 dispatches entry point 2, "
                                      "but the kernel library has 2");
}

TEST_F(ArtifactLoader, RefusesSignaturesLargerThanTheirBuffer) {
  Artifact artifact = validArtifact();
  artifact.functions[0].inputs[1].shape = {4, 4};
  EXPECT_CONTAINS(errorFor(artifact), "input 'b' needs 64 bytes, but buffer 1 "
                                      "(arena, offset 64, size 32) holds only "
                                      "32");
  artifact = validArtifact();
  artifact.functions[0].outputs[0].shape = {-7};
  EXPECT_CONTAINS(errorFor(artifact), "output 'sum' has dim 0 of size -7");
}

TEST_F(ArtifactLoader, RefusesInputsInTheWeights) {
  Artifact artifact = validArtifact();
  artifact.functions[0].inputs[0].buffer = 3;
  EXPECT_CONTAINS(errorFor(artifact), "input 'a' is not in the arena");
}

TEST_F(ArtifactLoader, RefusesCopiesIntoTheWeightsOrBeyondTheirBuffers) {
  Artifact artifact = validArtifact();
  artifact.functions[0].commands[2] = CopyCommand{2, 3, 32};
  EXPECT_CONTAINS(errorFor(artifact), "command 2 copies into the read-only "
                                      "weights");
  artifact.functions[0].commands[2] = CopyCommand{2, 5, 33};
  EXPECT_CONTAINS(errorFor(artifact), "command 2 copies 33 bytes, more than "
                                      "its buffers hold");
}

TEST_F(ArtifactLoader, RefusesMismatchedTargetsAndFormats) {
  Artifact artifact = validArtifact();
  artifact.target = "cuda";
  EXPECT_CONTAINS(errorFor(artifact), "target 'cuda' needs kernels of format "
                                      "Cubin, the artifact holds "
                                      "ElfSharedObject");
  artifact.target = "tpu";
  EXPECT_CONTAINS(errorFor(artifact), "targets 'tpu', which this runtime does "
                                      "not know");
}

TEST_F(ArtifactLoader, RefusesDuplicateNames) {
  Artifact artifact = validArtifact();
  artifact.functions.push_back(artifact.functions[0]);
  EXPECT_CONTAINS(errorFor(artifact), "two functions are named 'main'");
  artifact = validArtifact();
  artifact.functions[0].outputs[1].name = "sum";
  EXPECT_CONTAINS(errorFor(artifact), "two outputs are named 'sum'");
}

TEST(ArtifactLoaderArguments, RefusesNullArguments) {
  mllm_artifact *artifact = nullptr;
  mllm_status status = mllm_artifact_load(nullptr, &artifact);
  EXPECT_STREQ(mllm_status_message(status), "mllm_artifact_load: path is NULL");
  mllm_status_free(status);
}

} // namespace

namespace {

/// Loads `path` and creates a cpu session of "main"; when `run` is set and
/// that works, also runs it with zeroed inputs and reads every output. Any
/// failure must be an error message, never a crash or (under the sanitizers)
/// an out-of-bounds access.
void loadAndRunIfValid(const std::string &path, bool run) {
  Handles handles;
  if (!handles.open(path, "cpu").empty() || !run)
    return;
  for (size_t i = 0; i < mllm_session_input_count(handles.session); ++i) {
    mllm_tensor_info info;
    ASSERT_EQ(take(mllm_session_input_info(handles.session, i, &info)), "");
    std::vector<int64_t> dims(info.dims, info.dims + info.rank);
    uint64_t size = mllm_dtype_size(info.dtype);
    for (int64_t &dim : dims)
      size *= dim = dim < 0 ? 1 : dim;
    if (size > (1u << 20))
      return;
    std::vector<uint8_t> zeros(size);
    take(mllm_session_set_input(handles.session, info.name, info.dtype,
                                dims.data(), dims.size(), zeros.data(),
                                zeros.size()));
  }
  if (!handles.run().empty())
    return;
  for (size_t i = 0; i < mllm_session_output_count(handles.session); ++i) {
    mllm_tensor_info info;
    ASSERT_EQ(take(mllm_session_output_info(handles.session, i, &info)), "");
    uint64_t size = mllm_dtype_size(info.dtype);
    for (size_t d = 0; d < info.rank; ++d)
      size *= info.dims[d] < 0 ? 0 : info.dims[d];
    if (size > (1u << 20))
      continue;
    std::vector<uint8_t> data(size);
    take(mllm_session_read_output(handles.session, info.name, data.data(),
                                  data.size()));
  }
}

/// Flips a bit of every byte of the flatbuffer section of `bytes` except the
/// kernel binary, one byte at a time, with the checksum refreshed, and loads
/// each result; returns how many still loaded.
size_t flipEveryByte(const std::vector<uint8_t> &bytes, const std::string &path,
                     bool run) {
  FileHeader header = decodeHeader(bytes.data());
  const fb::Artifact *root =
      fb::GetArtifact(bytes.data() + header.flatbufferOffset);
  uint64_t binaryStart = root->kernels()->binary()->data() - bytes.data();
  uint64_t binaryEnd = binaryStart + root->kernels()->binary()->size();
  size_t loaded = 0;
  for (uint64_t offset = header.flatbufferOffset;
       offset < header.flatbufferOffset + header.flatbufferSize; ++offset) {
    if (offset >= binaryStart && offset < binaryEnd)
      continue;
    // The low bit breaks small numbers, the high bit large ones.
    std::vector<uint8_t> mutated = bytes;
    mutated[offset] ^= offset % 2 ? 0x80 : 0x01;
    refreshChecksum(mutated);
    writeFile(path, mutated);
    loaded += loadError(path).empty();
    loadAndRunIfValid(path, run);
  }
  return loaded;
}

// The loader's checks make every artifact that loads safe to run, as far as
// the runtime can know: it cannot check that a kernel uses its bindings as the
// command list says, so runs are fuzzed on a kernel-less artifact only.
TEST_F(ArtifactLoader, SurvivesEveryByteFlipBehindAValidChecksum) {
  EXPECT_GT(flipEveryByte(validBytes(), path, /*run=*/false), 0u);
  ASSERT_EQ(writeArtifact(makeCopyArtifact(), path), "");
  EXPECT_GT(flipEveryByte(readFile(path), path, /*run=*/true), 0u);
}

} // namespace

/// Huge arena sizes from flipped bits must fail as errors, not abort.
extern "C" const char *__asan_default_options() {
  return "allocator_may_return_null=1";
}
