//===- RuntimeSizesTest.cpp - Functions with symbolic dims (schema 1.2) ---===//

#include "mllm/runtime.h"
#include "runtime/core/ArtifactFile.h"
#include "runtime/core/SizePrograms.h"
#include "test/runtime/SessionTestUtils.h"
#include "test/runtime/TestArtifacts.h"

#include <gtest/gtest.h>

using namespace mllm::test;
using namespace mllmc::artifact;

namespace {

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                   \
      << "message: " << (text)

SizeProgram program(std::vector<SizeInstruction> code) { return code; }

/// "main": a, b: f32[n] → sum = a + b: f32[n], one dispatch of
/// mllm_test_add_n taking n after its buffers. Each buffer takes n * 4 bytes
/// rounded up to 64; a, b and sum lie one after the other.
Artifact makeAddNArtifact() {
  using Op = SizeOpcode;
  Artifact result;
  result.target = "cpu";
  result.producer = "mllm runtime tests";
  result.kernels = {KernelFormat::ElfSharedObject,
                    "x86-64",
                    cpuKernelLibrary(),
                    {"mllm_test_add_n"}};
  result.buffers = {{BufferLocation::DynamicArena, 2, 0},
                    {BufferLocation::DynamicArena, 3, 0},
                    {BufferLocation::DynamicArena, 4, 0}};
  Function main;
  main.name = "main";
  main.symbols = {{"n", {{0, 0}, {1, 0}}}};
  main.sizes = {
      program({{Op::Symbol, 0}, {Op::Constant, 4}, {Op::Mul}}), // $0 bytes
      program({{Op::Size, 0},
               {Op::Constant, 64},
               {Op::CeilDiv},
               {Op::Constant, 64},
               {Op::Mul}}),                                   // $1 aligned
      program({{Op::Constant, 0}}),                           // $2 a
      program({{Op::Size, 1}}),                               // $3 b
      program({{Op::Size, 1}, {Op::Constant, 2}, {Op::Mul}}), // $4 sum
      program({{Op::Size, 1}, {Op::Constant, 3}, {Op::Mul}}), // $5 arena
      program({{Op::Symbol, 0}}),                             // $6 n
  };
  main.arenaSizeProgram = 5;
  main.inputs = {{"a", ElementType::F32, {-1}, {"n"}, 0},
                 {"b", ElementType::F32, {-1}, {"n"}, 1}};
  main.outputs = {{"sum", ElementType::F32, {-1}, {"n"}, 2, {6}}};
  DispatchCommand add{0, {1, 1, 1}, {1, 1, 1}, 0, {0, 1, 2}, {6}};
  main.commands = {add};
  result.functions = {main};
  return result;
}

class RuntimeSizes : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(writeArtifact(makeAddNArtifact(), path), "");
  }
  TempDir dir;
  std::string path = dir.file("add_n.mllm");
};

TEST_F(RuntimeSizes, EvaluatesPrograms) {
  auto file = mllm::runtime::ArtifactFile::load(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  const auto &main = *file.value()->findFunction("main");
  std::vector<int64_t> values, stack;
  ASSERT_TRUE(
      mllm::runtime::evaluateSizePrograms(main, {3}, values, stack).ok());
  EXPECT_EQ(values, (std::vector<int64_t>{12, 64, 0, 64, 128, 192, 3}));
  ASSERT_TRUE(
      mllm::runtime::evaluateSizePrograms(main, {17}, values, stack).ok());
  EXPECT_EQ(values, (std::vector<int64_t>{68, 128, 0, 128, 256, 384, 17}));
  // n * 4 overflows.
  mllm::runtime::Status overflow =
      mllm::runtime::evaluateSizePrograms(main, {INT64_MAX / 2}, values, stack);
  EXPECT_CONTAINS(overflow.message(), "size program 0 fails: Mul of");
  EXPECT_CONTAINS(overflow.message(), "overflows");
}

/// The clamps of a slice bound (mllmc's derived min/max symbols): the
/// verifier accepts Min and Max, intermediate values may be negative, and
/// min(max(n - 5, 0), 16) evaluates per size.
TEST_F(RuntimeSizes, EvaluatesClamps) {
  using Op = SizeOpcode;
  Artifact artifact = makeAddNArtifact();
  artifact.functions[0].sizes.push_back(program({{Op::Symbol, 0},
                                                 {Op::Constant, -5},
                                                 {Op::Add},
                                                 {Op::Constant, 0},
                                                 {Op::Max},
                                                 {Op::Constant, 16},
                                                 {Op::Min}}));
  std::string clampPath = dir.file("clamp.mllm");
  ASSERT_EQ(writeArtifact(artifact, clampPath), "");
  auto file = mllm::runtime::ArtifactFile::load(clampPath);
  ASSERT_TRUE(file.ok()) << file.status().message();
  const auto &main = *file.value()->findFunction("main");
  std::vector<int64_t> values, stack;
  for (auto [n, clamped] :
       {std::pair<int64_t, int64_t>(3, 0), {10, 5}, {40, 16}}) {
    ASSERT_TRUE(
        mllm::runtime::evaluateSizePrograms(main, {n}, values, stack).ok());
    EXPECT_EQ(values.back(), clamped) << "n = " << n;
  }
}

TEST_F(RuntimeSizes, RunsOneArtifactAtEverySize) {
  Handles handles;
  ASSERT_EQ(handles.open(path, "cpu"), "");
  // Growing, then smaller (the arena is reused), then larger again.
  for (int64_t n : {3, 40, 5, 100}) {
    std::vector<float> a(n), b(n), expected(n);
    for (int64_t i = 0; i < n; ++i) {
      a[i] = float(i);
      b[i] = float(1000 * n);
      expected[i] = a[i] + b[i];
    }
    ASSERT_EQ(handles.setF32("a", a), "");
    ASSERT_EQ(handles.setF32("b", b), "");
    ASSERT_EQ(handles.run(), "");
    mllm_tensor_info info;
    ASSERT_EQ(take(mllm_session_output_info(handles.session, 0, &info)), "");
    ASSERT_EQ(info.rank, 1u);
    EXPECT_EQ(info.dims[0], n);
    std::vector<float> sum(n);
    ASSERT_EQ(handles.readF32("sum", sum), "");
    EXPECT_EQ(sum, expected) << "n = " << n;
  }
}

TEST_F(RuntimeSizes, RefusesInputsThatDisagree) {
  Handles handles;
  ASSERT_EQ(handles.open(path, "cpu"), "");
  ASSERT_EQ(handles.setF32("a", std::vector<float>(3)), "");
  EXPECT_CONTAINS(handles.setF32("b", std::vector<float>(4)),
                  "input 'b' has dim 0 ('n') = 4, but input 'a' has dim 0 = "
                  "3; the model gives both the same size");
  // Wrong rank.
  EXPECT_CONTAINS(handles.setF32("b", std::vector<float>(3), {3, 1}),
                  "input 'b' has shape [n], got [3, 1]");
  // No output before a run.
  std::vector<float> sum(3);
  EXPECT_CONTAINS(handles.readF32("sum", sum), "is not computed");
}

TEST_F(RuntimeSizes, RefusesMalformedPrograms) {
  auto check = [&](auto edit) {
    Artifact artifact = makeAddNArtifact();
    edit(artifact.functions[0]);
    std::string bad = dir.file("bad.mllm");
    EXPECT_EQ(writeArtifact(artifact, bad), "");
    Handles handles;
    return handles.open(bad, "cpu");
  };
  EXPECT_CONTAINS(check([](Function &f) {
                    f.sizes[6] = {{SizeOpcode::Symbol, 1}};
                  }),
                  "size program 6 reads symbol 1, but the function has 1");
  EXPECT_CONTAINS(check([](Function &f) {
                    f.sizes[3] = {{SizeOpcode::Size, 3}};
                  }),
                  "size program 3 reads size program 3, which is not an "
                  "earlier one");
  EXPECT_CONTAINS(check([](Function &f) {
                    f.sizes[2] = {{SizeOpcode::Constant, 0}, {SizeOpcode::Add}};
                  }),
                  "size program 2 runs out of operands");
  EXPECT_CONTAINS(check([](Function &f) {
                    f.symbols[0].sources = {{0, 0}};
                  }),
                  "dim 0 of input 'b' is dynamic, but no symbol reads it");
  EXPECT_CONTAINS(check([](Function &f) {
                    std::get<DispatchCommand>(f.commands[0]).constants = {9};
                  }),
                  "command 0 constant 0 uses size program 9, but the "
                  "function has 7");
}

} // namespace
