//===- ArtifactWriterTest.cpp - The .mllm writer --------------------------===//

#include "compiler/artifact/ArtifactWriter.h"
#include "compiler/artifact/ArtifactFormat.h"
#include "compiler/artifact/Artifact_generated.h"
#include "test/runtime/TestArtifacts.h"

#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>

using namespace mllm::test;
using namespace mllmc::artifact;

namespace {

Artifact sampleArtifact() {
  return makeElementwiseArtifact({KernelFormat::ElfSharedObject,
                                  "x86-64",
                                  {1, 2, 3, 4, 5, 6, 7},
                                  {"mllm_test_add", "mllm_test_exp_scale"}});
}

TEST(ArtifactWriter, IdenticalInputsGiveIdenticalBytes) {
  TempDir dir;
  Artifact artifact = sampleArtifact();
  ASSERT_EQ(writeArtifact(artifact, dir.file("one.mllm")), "");
  ASSERT_EQ(writeArtifact(artifact, dir.file("two.mllm")), "");
  EXPECT_EQ(readFile(dir.file("one.mllm")), readFile(dir.file("two.mllm")));
}

TEST(ArtifactWriter, WeightOrderDoesNotChangeTheBytes) {
  TempDir dir;
  std::vector<uint8_t> first(100, 0xab), second(10, 0xcd);
  Artifact artifact = sampleArtifact();
  artifact.weightsSize = 4096;
  artifact.weights = {{0, first.data(), first.size()},
                      {1024, second.data(), second.size()}};
  ASSERT_EQ(writeArtifact(artifact, dir.file("one.mllm")), "");
  std::swap(artifact.weights[0], artifact.weights[1]);
  ASSERT_EQ(writeArtifact(artifact, dir.file("two.mllm")), "");
  EXPECT_EQ(readFile(dir.file("one.mllm")), readFile(dir.file("two.mllm")));
}

TEST(ArtifactWriter, LaysOutHeaderFlatbufferAndAlignedWeights) {
  TempDir dir;
  std::vector<uint8_t> first(100, 0xab), second(10, 0xcd);
  Artifact artifact = sampleArtifact();
  artifact.weightsSize = 2048;
  artifact.weights = {{1024, second.data(), second.size()},
                      {0, first.data(), first.size()}};
  ASSERT_EQ(writeArtifact(artifact, dir.file("a.mllm")), "");
  std::vector<uint8_t> bytes = readFile(dir.file("a.mllm"));

  ASSERT_GE(bytes.size(), kHeaderSize);
  EXPECT_TRUE(hasMagic(bytes.data()));
  FileHeader header = decodeHeader(bytes.data());
  EXPECT_EQ(header.headerVersion, kHeaderVersion);
  EXPECT_EQ(header.headerSize, kHeaderSize);
  EXPECT_EQ(header.flatbufferOffset, kHeaderSize);
  EXPECT_EQ(header.fileSize, bytes.size());
  EXPECT_EQ(header.weightsOffset % kWeightsSectionAlignment, 0u);
  EXPECT_GE(header.weightsOffset,
            header.flatbufferOffset + header.flatbufferSize);
  EXPECT_EQ(header.weightsSize, 2048u);
  EXPECT_EQ(header.weightsOffset + header.weightsSize, bytes.size());

  const uint8_t *weights = bytes.data() + header.weightsOffset;
  EXPECT_EQ(std::memcmp(weights, first.data(), first.size()), 0);
  EXPECT_EQ(std::memcmp(weights + 1024, second.data(), second.size()), 0);
  for (uint64_t i = first.size(); i < 1024; ++i)
    ASSERT_EQ(weights[i], 0) << "gap byte " << i;

  const uint8_t *flatbuffer = bytes.data() + header.flatbufferOffset;
  flatbuffers::Verifier verifier(flatbuffer, header.flatbufferSize);
  ASSERT_TRUE(fb::VerifyArtifactBuffer(verifier));
  const fb::Artifact *root = fb::GetArtifact(flatbuffer);
  EXPECT_EQ(root->schema_version(), kSchemaVersion);
  EXPECT_EQ(root->target()->str(), "cpu");
  EXPECT_EQ(root->functions()->Get(0)->commands()->size(), 3u);
  EXPECT_EQ(root->functions()->Get(0)->inputs()->Get(1)->name()->str(), "b");
  const auto *binary = root->kernels()->binary();
  EXPECT_EQ(binary->size(), 7u);
  EXPECT_EQ((binary->data() - bytes.data()) % kKernelBinaryAlignment, 0);
}

TEST(ArtifactWriter, ReplacesAnExistingFileAndLeavesNoTemporaries) {
  TempDir dir;
  std::string path = dir.file("model.mllm");
  writeFile(path, std::vector<uint8_t>(100000, 'x'));
  ASSERT_EQ(writeArtifact(sampleArtifact(), path), "");
  std::vector<uint8_t> bytes = readFile(path);
  EXPECT_TRUE(hasMagic(bytes.data()));
  EXPECT_EQ(decodeHeader(bytes.data()).fileSize, bytes.size());
  size_t files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(ArtifactWriter, FailureLeavesTheOldFileUntouched) {
  TempDir dir;
  std::string path = dir.file("model.mllm");
  std::vector<uint8_t> old(1000, 'x');
  writeFile(path, old);
  Artifact artifact = sampleArtifact();
  artifact.weights[0].offset = 40; // not 64-byte aligned
  std::string message = writeArtifact(artifact, path);
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("is not 64-byte aligned"), std::string::npos)
      << message;
  EXPECT_EQ(readFile(path), old);
}

TEST(ArtifactWriter, NamesAPathItCannotWrite) {
  TempDir dir;
  std::string path = dir.file("missing/model.mllm");
  std::string message = writeArtifact(sampleArtifact(), path);
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(dir.file("missing")));
}

TEST(ArtifactWriter, RefusesBadWeightSegments) {
  TempDir dir;
  std::vector<uint8_t> data(128, 1);
  Artifact artifact = sampleArtifact();
  artifact.weights = {{0, data.data(), 128}, {64, data.data(), 64}};
  EXPECT_NE(writeArtifact(artifact, dir.file("a.mllm")).find("overlaps"),
            std::string::npos);
  artifact.weights = {{64, data.data(), 128}};
  EXPECT_NE(writeArtifact(artifact, dir.file("a.mllm"))
                .find("ends past the weights size 128"),
            std::string::npos);
  artifact.weights = {{0, nullptr, 16}};
  EXPECT_NE(writeArtifact(artifact, dir.file("a.mllm")).find("has no data"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("a.mllm")));
}

TEST(ArtifactWriter, RefusesDimNamesThatDoNotMatchTheShape) {
  TempDir dir;
  Artifact artifact = sampleArtifact();
  artifact.functions[0].inputs[0].dimNames = {"n", "m"};
  std::string message = writeArtifact(artifact, dir.file("a.mllm"));
  EXPECT_NE(message.find("tensor 'a' of function 'main' has 1 dims but 2 dim "
                         "names"),
            std::string::npos)
      << message;
}

TEST(ArtifactWriter, OmitsThePaddingWithoutWeights) {
  TempDir dir;
  ASSERT_EQ(writeArtifact(makeCopyArtifact(), dir.file("a.mllm")), "");
  std::vector<uint8_t> bytes = readFile(dir.file("a.mllm"));
  FileHeader header = decodeHeader(bytes.data());
  EXPECT_EQ(header.weightsSize, 0u);
  EXPECT_EQ(bytes.size(), kHeaderSize + header.flatbufferSize);
}

} // namespace
