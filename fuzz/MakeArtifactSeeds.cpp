//===- MakeArtifactSeeds.cpp - Seed corpus for the artifact loader fuzzer -===//
//
// mllmc-fuzz-artifact-seeds DIR writes small valid artifacts into DIR: what
// the compiler emits (copies, dispatches with bindings, weights, dynamic
// dims, several functions) for each target, with a placeholder kernel binary
// (the fuzzer never loads kernels). Compiled models (mllmc -o X.mllm) make
// good seeds too; scripts/fuzz adds them when a build of mllmc is at hand.
//
//===----------------------------------------------------------------------===//

#include "compiler/artifact/ArtifactWriter.h"

#include <iostream>
#include <string>

using namespace mllmc::artifact;

namespace {

/// Inputs x, y: f32[n, 4] with n dynamic; output z: x copied, a dispatch of
/// entry point 0 over x, y and the weights, a dispatch of 1 into z.
Function makeMain() {
  Function main;
  main.name = "main";
  main.arenaSize = 256;
  main.inputs = {{"x", ElementType::F32, {-1, 4}, {"n", ""}, 0},
                 {"y", ElementType::F16, {-1, 4}, {"n", ""}, 1}};
  main.outputs = {{"z", ElementType::F32, {-1, 4}, {"n", ""}, 2},
                  {"t", ElementType::I64, {2}, {}, 3}};
  main.commands = {DispatchCommand{0, {2, 1, 1}, {4, 1, 1}, 0, {0, 1, 4, 3}},
                   DispatchCommand{1, {1, 1, 1}, {64, 1, 1}, 128, {3, 2}},
                   CopyCommand{0, 2, 32}};
  return main;
}

/// A second function: i8 -> bf16 through a weight, no dynamic dims.
Function makeDecode() {
  Function decode;
  decode.name = "decode";
  decode.arenaSize = 64;
  decode.inputs = {{"token", ElementType::I8, {1}, {}, 5}};
  decode.outputs = {{"logits", ElementType::BF16, {4}, {}, 6}};
  decode.commands = {DispatchCommand{1, {1, 1, 1}, {1, 1, 1}, 0, {5, 4, 6}},
                     CopyCommand{4, 6, 8}};
  return decode;
}

Artifact makeArtifact(const std::string &target, KernelFormat format,
                      const std::string &arch, bool twoFunctions,
                      const std::vector<float> &weights) {
  Artifact result;
  result.target = target;
  result.producer = "mllmc-fuzz-artifact-seeds";
  result.kernels = {format,
                    arch,
                    {0x7f, 'E', 'L', 'F', 2, 1, 1, 0},
                    {"mllm_dispatch_0", "mllm_dispatch_1"}};
  result.buffers = {
      {BufferLocation::Arena, 0, 64},    // 0: x
      {BufferLocation::Arena, 64, 32},   // 1: y
      {BufferLocation::Arena, 128, 64},  // 2: z
      {BufferLocation::Arena, 192, 16},  // 3: t
      {BufferLocation::Weights, 64, 32}, // 4: w
      {BufferLocation::Arena, 0, 1},     // 5: token
      {BufferLocation::Arena, 32, 8},    // 6: logits
  };
  result.functions = {makeMain()};
  if (twoFunctions)
    result.functions.push_back(makeDecode());
  result.weights = {{64, weights.data(), weights.size() * sizeof(float)}};
  result.weightsSize = 128;
  return result;
}

/// The kernel-less artifact mllmc writes for a model that only moves data.
Artifact makeCopyOnly() {
  Artifact result;
  result.target = "cpu";
  result.producer = "mllmc-fuzz-artifact-seeds";
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

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: mllmc-fuzz-artifact-seeds DIR\n";
    return 2;
  }
  std::string dir = argv[1];
  std::vector<float> weights = {0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f, 3.5f, 4.0f};
  const std::pair<std::string, Artifact> seeds[] = {
      {"copy-only.mllm", makeCopyOnly()},
      {"cpu.mllm", makeArtifact("cpu", KernelFormat::ElfSharedObject, "x86-64",
                                false, weights)},
      {"cpu-two-functions.mllm",
       makeArtifact("cpu", KernelFormat::ElfSharedObject, "x86-64", true,
                    weights)},
      {"cuda.mllm",
       makeArtifact("cuda", KernelFormat::Cubin, "sm_90", true, weights)},
      {"rocm.mllm",
       makeArtifact("rocm", KernelFormat::Hsaco, "gfx942", false, weights)},
  };
  for (const auto &[name, seed] : seeds) {
    std::string error = writeArtifact(seed, dir + "/" + name);
    if (!error.empty()) {
      std::cerr << "mllmc-fuzz-artifact-seeds: " << error << "\n";
      return 1;
    }
  }
  return 0;
}
