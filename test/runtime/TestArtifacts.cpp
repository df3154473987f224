//===- TestArtifacts.cpp - Artifacts and files for the runtime tests ------===//

#include "test/runtime/TestArtifacts.h"

#include "compiler/artifact/ArtifactFormat.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <zlib.h>

namespace mllm::test {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "mllm-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a temporary folder");
  root = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(root, ignored);
}

std::string TempDir::file(const std::string &name) const {
  return root + "/" + name;
}

std::vector<uint8_t> readFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw std::runtime_error("cannot read " + path);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
}

void writeFile(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  if (!file)
    throw std::runtime_error("cannot write " + path);
}

std::vector<uint8_t> cpuKernelLibrary() {
  return readFile(MLLM_TEST_CPU_KERNELS);
}

const std::vector<float> &elementwiseWeights() {
  static const std::vector<float> weights = {0.5f, 1.0f, 1.5f, 2.0f,
                                             2.5f, 3.0f, 3.5f, 4.0f};
  return weights;
}

artifact::Artifact makeElementwiseArtifact(artifact::KernelLibrary kernels,
                                           const std::string &target) {
  using namespace artifact;
  Artifact result;
  result.target = target;
  result.producer = "mllm runtime tests";
  result.kernels = std::move(kernels);
  result.buffers = {
      {BufferLocation::Arena, 0, 32},    // 0: a
      {BufferLocation::Arena, 64, 32},   // 1: b
      {BufferLocation::Arena, 128, 32},  // 2: a + b
      {BufferLocation::Weights, 64, 32}, // 3: w
      {BufferLocation::Arena, 192, 32},  // 4: scaled
      {BufferLocation::Arena, 256, 32},  // 5: sum
  };
  Function main;
  main.name = "main";
  main.arenaSize = 320;
  main.inputs = {{"a", ElementType::F32, {8}, {}, 0},
                 {"b", ElementType::F32, {8}, {}, 1}};
  main.outputs = {{"sum", ElementType::F32, {8}, {}, 5},
                  {"scaled", ElementType::F32, {8}, {}, 4}};
  DispatchCommand add{0, {2, 1, 1}, {4, 1, 1}, 0, {0, 1, 2}};
  DispatchCommand scale{1, {2, 1, 1}, {4, 1, 1}, 0, {2, 3, 4}};
  main.commands = {add, scale, CopyCommand{2, 5, 32}};
  result.functions = {main};
  // A zero gap before the weights checks that offsets are honored.
  result.weights = {{64, elementwiseWeights().data(), 32}};
  result.weightsSize = 128;
  return result;
}

artifact::Artifact makeCopyArtifact() {
  using namespace artifact;
  Artifact result;
  result.target = "cpu";
  result.producer = "mllm runtime tests";
  result.kernels = {KernelFormat::ElfSharedObject, "x86-64", {}, {}};
  result.buffers = {{BufferLocation::Arena, 0, 64},
                    {BufferLocation::Arena, 64, 64}};
  Function main;
  main.name = "main";
  main.arenaSize = 128;
  main.inputs = {{"x", ElementType::F32, {-1, 4}, {"n", ""}, 0}};
  main.outputs = {{"y", ElementType::F32, {-1, 4}, {"n", ""}, 1}};
  main.commands = {CopyCommand{0, 1, 64}};
  result.functions = {main};
  return result;
}

void refreshChecksum(std::vector<uint8_t> &bytes) {
  uint32_t crc =
      crc32_z(crc32_z(0, nullptr, 0), bytes.data() + 64, bytes.size() - 64);
  for (unsigned i = 0; i < 4; ++i)
    bytes[56 + i] = static_cast<uint8_t>(crc >> (8 * i));
}

} // namespace mllm::test
