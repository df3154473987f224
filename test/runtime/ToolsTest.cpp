//===- ToolsTest.cpp - mllmc-run and mllmc-dump ---------------------------===//

#include "runtime/tools/Npy.h"
#include "test/runtime/TestArtifacts.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <sys/wait.h>

using namespace mllm::test;
using namespace mllm::tools;
using namespace mllmc::artifact;

namespace {

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                   \
      << "output: " << (text)

struct ToolResult {
  /// The exit status; -1 when the tool died from a signal.
  int exitCode = -1;
  /// stdout and stderr together.
  std::string output;
};

ToolResult runTool(const std::string &tool, const std::string &arguments) {
  ToolResult result;
  std::string command = "'" + tool + "' " + arguments + " 2>&1";
  FILE *pipe = ::popen(command.c_str(), "r");
  if (!pipe)
    return result;
  std::array<char, 4096> buffer;
  size_t count;
  while ((count = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), count);
  int status = ::pclose(pipe);
  if (WIFEXITED(status))
    result.exitCode = WEXITSTATUS(status);
  return result;
}

ToolResult run(const std::string &arguments) {
  return runTool(MLLMC_RUN_PATH, arguments);
}
ToolResult dump(const std::string &arguments) {
  return runTool(MLLMC_DUMP_PATH, arguments);
}

class Tools : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(writeArtifact(makeElementwiseArtifact(
                                {KernelFormat::ElfSharedObject,
                                 "x86-64",
                                 cpuKernelLibrary(),
                                 {"mllm_test_add", "mllm_test_exp_scale"}}),
                            model),
              "");
    for (int i = 0; i < 8; ++i) {
      a[i] = 0.5f * i;
      b[i] = 1.0f - 0.25f * i;
    }
    ASSERT_EQ(writeNpy(dir.file("a.npy"), MLLM_DTYPE_F32, {8}, a.data(), 32),
              "");
    ASSERT_EQ(writeNpy(dir.file("b.npy"), MLLM_DTYPE_F32, {8}, b.data(), 32),
              "");
  }
  std::string inputs() const {
    return "--input a=" + dir.file("a.npy") + " --input=b=" + dir.file("b.npy");
  }

  TempDir dir;
  std::string model = dir.file("model.mllm");
  std::array<float, 8> a, b;
};

TEST_F(Tools, RunWritesEveryOutput) {
  std::string out = dir.file("out");
  ToolResult result = run(model + " " + inputs() + " --output-dir " + out +
                          " --device=cpu --function=main");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  NpyArray sum, scaled;
  ASSERT_EQ(readNpy(out + "/sum.npy", sum), "");
  ASSERT_EQ(readNpy(out + "/scaled.npy", scaled), "");
  EXPECT_EQ(sum.dtype, MLLM_DTYPE_F32);
  EXPECT_EQ(sum.shape, std::vector<int64_t>{8});
  ASSERT_EQ(sum.data.size(), 32u);
  ASSERT_EQ(scaled.data.size(), 32u);
  const auto *sums = reinterpret_cast<const float *>(sum.data.data());
  const auto *scales = reinterpret_cast<const float *>(scaled.data.data());
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(sums[i], a[i] + b[i]);
    float expected = std::exp(a[i] + b[i]) * elementwiseWeights()[i];
    EXPECT_NEAR(scales[i], expected, 1e-5f * expected);
  }
}

TEST_F(Tools, RunOnCudaWhereThereIsOne) {
  std::string cubin = MLLM_TEST_CUBIN;
  if (cubin.empty())
    GTEST_SKIP() << "built without the CUDA toolkit (no test cubin)";
  ASSERT_EQ(writeArtifact(makeElementwiseArtifact(
                              {KernelFormat::Cubin,
                               "sm_90",
                               readFile(cubin),
                               {"mllm_test_add", "mllm_test_exp_scale"}},
                              "cuda"),
                          model),
            "");
  std::string out = dir.file("out");
  ToolResult result =
      run(model + " " + inputs() + " --output-dir " + out + " --device=cuda");
  if (result.exitCode != 0) {
    // Without a GPU: one clear message about the driver or device.
    EXPECT_EQ(result.exitCode, 1) << result.output;
    EXPECT_CONTAINS(result.output, "mllmc-run: error: ");
    EXPECT_CONTAINS(result.output, "CUDA");
    GTEST_SKIP() << result.output;
  }
  NpyArray sum;
  ASSERT_EQ(readNpy(out + "/sum.npy", sum), "");
  ASSERT_EQ(sum.data.size(), 32u);
  const auto *sums = reinterpret_cast<const float *>(sum.data.data());
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(sums[i], a[i] + b[i]);
}

TEST_F(Tools, RunExplainsBadInput) {
  std::string out = " --output-dir " + dir.file("out");
  struct Case {
    std::string arguments, message;
  } cases[] = {
      {dir.file("absent.mllm") + " " + inputs() + out,
       "mllmc-run: error: cannot open artifact '" + dir.file("absent.mllm") +
           "'"},
      {dir.file("a.npy") + " " + inputs() + out, "is not an mllmc artifact"},
      {model + " --input a=" + dir.file("a.npy") + out,
       "mllmc-run: error: input 'b' is missing: pass --input=b=<file.npy>"},
      {model + " " + inputs() + " --input c=" + dir.file("a.npy") + out,
       "has no input 'c'; its inputs are: a, b"},
      {model + " " + inputs() + " --input a=" + dir.file("b.npy") + out,
       "input 'a' is given twice"},
      {model + " --input a=" + dir.file("short.npy") +
           " --input b=" + dir.file("b.npy") + out,
       "input 'a' has shape [8], got [4] (from '" + dir.file("short.npy") +
           "')"},
      {model + " --input a=" + dir.file("ints.npy") +
           " --input b=" + dir.file("b.npy") + out,
       "input 'a' has element type f32, got i32"},
      {model + " --input a=" + dir.file("absent.npy") +
           " --input b=" + dir.file("b.npy") + out,
       "cannot open '" + dir.file("absent.npy") + "'"},
      {model + " " + inputs() + out + " --device=tpu", "unknown device 'tpu'"},
      {model + " " + inputs() + out + " --function=decode",
       "has no function 'decode'; it has: main"},
      {model + " " + inputs(), "no --output-dir given"},
      {inputs() + out, "no artifact given"},
      {model + " --bogus", "unknown option '--bogus'"},
      {model + " --input a", "--input needs <name>=<file.npy>, got 'a'"},
  };
  std::vector<float> four(4);
  ASSERT_EQ(
      writeNpy(dir.file("short.npy"), MLLM_DTYPE_F32, {4}, four.data(), 16),
      "");
  std::vector<int32_t> ints(8);
  ASSERT_EQ(
      writeNpy(dir.file("ints.npy"), MLLM_DTYPE_I32, {8}, ints.data(), 32), "");
  for (const Case &test : cases) {
    ToolResult result = run(test.arguments);
    EXPECT_EQ(result.exitCode, 1) << test.arguments << "\n" << result.output;
    EXPECT_CONTAINS(result.output, test.message);
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1)
        << "one message expected: " << result.output;
  }
}

TEST_F(Tools, RunHelp) {
  ToolResult result = run("--help");
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_CONTAINS(result.output, "USAGE: mllmc-run [options] <artifact.mllm>");
  EXPECT_CONTAINS(result.output, "--input=<name>=<file.npy>");
  EXPECT_CONTAINS(result.output, "--device=<name>");
}

TEST_F(Tools, DumpSummarizesTheArtifact) {
  ToolResult result = dump(model);
  ASSERT_EQ(result.exitCode, 0) << result.output;
  for (const char *line :
       {"schema version: 1.2\n", "producer: mllm runtime tests\n",
        "target: cpu\n", "kernels: ElfSharedObject for x86-64, ",
        "  [1] mllm_test_exp_scale\n", "weights: 128 bytes\n",
        "  [3] weights offset 64 size 32\n",
        "function main (arena 320 bytes)\n", "    a: f32[8] in buffer 0\n",
        "    scaled: f32[8] in buffer 4\n",
        "    [1] dispatch mllm_test_exp_scale workgroups (2, 1, 1) size (4, 1, "
        "1) shared 0 bindings [2, 3, 4]\n",
        "    [2] copy buffer 2 -> buffer 5, 32 bytes\n"})
    EXPECT_CONTAINS(result.output, line);
}

TEST_F(Tools, DumpShowsDynamicDimsByName) {
  ASSERT_EQ(writeArtifact(makeCopyArtifact(), model), "");
  ToolResult result = dump(model);
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_CONTAINS(result.output, "    x: f32[n, 4] in buffer 0\n");
}

TEST_F(Tools, DumpExtractsKernels) {
  std::string out = dir.file("kernels");
  ToolResult result = dump(model + " --extract-kernels " + out);
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_EQ(readFile(out + "/kernels.so"), cpuKernelLibrary());
}

TEST_F(Tools, DumpExplainsBadInput) {
  std::vector<uint8_t> bytes = readFile(model);
  bytes.resize(bytes.size() / 2);
  writeFile(dir.file("cut.mllm"), bytes);
  ToolResult result = dump(dir.file("cut.mllm"));
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_CONTAINS(result.output, "mllmc-dump: error: '" + dir.file("cut.mllm") +
                                     "' is truncated");
  result = dump("");
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_CONTAINS(result.output, "no artifact given");
  result = dump("--help");
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_CONTAINS(result.output, "--extract-kernels=<dir>");
}

} // namespace
