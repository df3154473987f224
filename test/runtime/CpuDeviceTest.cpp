//===- CpuDeviceTest.cpp - Sessions on the cpu device through the C API ---===//

#include "mllm/runtime.h"
#include "test/runtime/SessionTestUtils.h"
#include "test/runtime/TestArtifacts.h"

#include <gtest/gtest.h>

using namespace mllm::test;
using namespace mllmc::artifact;

namespace {

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                   \
      << "message: " << (text)

KernelLibrary cpuKernels(std::vector<std::string> entries = {
                             "mllm_test_add", "mllm_test_exp_scale"}) {
  return {KernelFormat::ElfSharedObject, "x86-64", cpuKernelLibrary(),
          std::move(entries)};
}

class CpuSession : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(writeArtifact(makeElementwiseArtifact(cpuKernels()), path), "");
    ASSERT_EQ(handles.open(path, "cpu"), "");
  }
  TempDir dir;
  std::string path = dir.file("elementwise.mllm");
  Handles handles;
};

TEST_F(CpuSession, RunsKernelsCopiesAndWeights) {
  EXPECT_EQ(checkElementwiseRun(handles, 0.0f), "");
}

TEST_F(CpuSession, RunsAgainWithNewInputs) {
  EXPECT_EQ(checkElementwiseRun(handles, 0.0f), "");
  EXPECT_EQ(checkElementwiseRun(handles, 1.0f), "");
}

TEST_F(CpuSession, OutlivesTheArtifactAndDeviceHandles) {
  mllm_artifact_release(handles.artifact);
  mllm_device_release(handles.device);
  handles.artifact = nullptr;
  handles.device = nullptr;
  EXPECT_EQ(checkElementwiseRun(handles, 0.5f), "");
}

TEST_F(CpuSession, DescribesItsSignature) {
  ASSERT_EQ(mllm_session_input_count(handles.session), 2u);
  ASSERT_EQ(mllm_session_output_count(handles.session), 2u);
  mllm_tensor_info info;
  ASSERT_EQ(take(mllm_session_input_info(handles.session, 1, &info)), "");
  EXPECT_STREQ(info.name, "b");
  EXPECT_EQ(info.dtype, MLLM_DTYPE_F32);
  ASSERT_EQ(info.rank, 1u);
  EXPECT_EQ(info.dims[0], 8);
  EXPECT_STREQ(info.dim_names[0], "");
  ASSERT_EQ(take(mllm_session_output_info(handles.session, 1, &info)), "");
  EXPECT_STREQ(info.name, "scaled");
  EXPECT_CONTAINS(take(mllm_session_output_info(handles.session, 2, &info)),
                  "output index 2 is out of range; the function has 2 outputs");
}

TEST_F(CpuSession, RefusesWrongInputs) {
  std::vector<float> eight(8, 1.0f);
  EXPECT_CONTAINS(handles.setF32("c", eight),
                  "function 'main' has no input 'c'; its inputs are: a, b");
  EXPECT_CONTAINS(handles.setF32("a", std::vector<float>(4), {4}),
                  "function 'main': input 'a' has shape [8], got [4]");
  EXPECT_CONTAINS(handles.setF32("a", eight, {2, 4}),
                  "input 'a' has shape [8], got [2, 4]");
  std::vector<int32_t> ints(8);
  int64_t dims[] = {8};
  EXPECT_CONTAINS(
      take(mllm_session_set_input(handles.session, "a", MLLM_DTYPE_I32, dims, 1,
                                  ints.data(), 32)),
      "input 'a' has element type f32, got i32");
  EXPECT_CONTAINS(
      take(mllm_session_set_input(handles.session, "a", MLLM_DTYPE_F32, dims, 1,
                                  eight.data(), 16)),
      "input 'a' of shape [8] and type f32 needs 32 bytes, got 16");
}

TEST_F(CpuSession, ProfilesEveryCommandOfTheRunsAfterEnabling) {
  EXPECT_EQ(mllm_session_profile_count(handles.session), 0u);
  ASSERT_EQ(checkElementwiseRun(handles, 0.0f), "");
  ASSERT_EQ(take(mllm_session_set_profiling(handles.session, 1)), "");
  for (float offset : {0.5f, 1.0f})
    ASSERT_EQ(checkElementwiseRun(handles, offset), "");
  ASSERT_EQ(mllm_session_profile_count(handles.session), 3u);
  struct Expected {
    const char *name;
    uint64_t extent;
  };
  // Dispatches: their workgroups; the copy: its bytes.
  Expected expected[] = {
      {"mllm_test_add", 2}, {"mllm_test_exp_scale", 2}, {"copy", 32}};
  for (size_t i = 0; i < 3; ++i) {
    mllm_command_profile entry;
    ASSERT_EQ(take(mllm_session_profile_entry(handles.session, i, &entry)), "");
    EXPECT_STREQ(entry.name, expected[i].name);
    EXPECT_EQ(entry.extent, expected[i].extent);
    EXPECT_EQ(entry.runs, 2u);
    EXPECT_GT(entry.seconds, 0.0);
  }
  mllm_command_profile entry;
  EXPECT_CONTAINS(take(mllm_session_profile_entry(handles.session, 3, &entry)),
                  "profile index 3 is out of range; the profile has 3 entries");

  // Enabling again starts over; disabling keeps what was measured.
  ASSERT_EQ(take(mllm_session_set_profiling(handles.session, 1)), "");
  ASSERT_EQ(take(mllm_session_profile_entry(handles.session, 0, &entry)), "");
  EXPECT_EQ(entry.runs, 0u);
  ASSERT_EQ(checkElementwiseRun(handles, 0.0f), "");
  ASSERT_EQ(take(mllm_session_set_profiling(handles.session, 0)), "");
  ASSERT_EQ(checkElementwiseRun(handles, 0.0f), "");
  ASSERT_EQ(take(mllm_session_profile_entry(handles.session, 0, &entry)), "");
  EXPECT_EQ(entry.runs, 1u);
}

TEST_F(CpuSession, RefusesToRunWithoutEveryInput) {
  ASSERT_EQ(handles.setF32("a", std::vector<float>(8)), "");
  EXPECT_CONTAINS(handles.run(), "input 'b' is not set");
  std::vector<float> out(8);
  EXPECT_CONTAINS(handles.readF32("sum", out),
                  "output 'sum' is not computed: set the inputs and run first");
  EXPECT_EQ(checkElementwiseRun(handles, 0.0f), "");
  // The run consumed its inputs.
  EXPECT_CONTAINS(handles.run(), "input 'a' is not set");
}

TEST_F(CpuSession, RefusesWrongOutputReads) {
  ASSERT_EQ(checkElementwiseRun(handles, 0.0f), "");
  std::vector<float> small(4);
  EXPECT_CONTAINS(handles.readF32("sum", small),
                  "output 'sum' has 32 bytes, got room for 16");
  EXPECT_CONTAINS(handles.readF32("total", small),
                  "has no output 'total'; its outputs are: sum, scaled");
}

TEST(CpuDevice, RunsEveryWorkgroupOnce) {
  TempDir dir;
  Artifact artifact;
  artifact.target = "cpu";
  artifact.kernels = cpuKernels({"mllm_test_workgroup_ids"});
  artifact.buffers = {{BufferLocation::Arena, 0, 48},
                      {BufferLocation::Arena, 64, 4}};
  Function main;
  main.name = "main";
  main.arenaSize = 128;
  main.inputs = {{"unused", ElementType::F32, {}, {}, 1}};
  main.outputs = {{"ids", ElementType::F32, {2, 2, 3}, {}, 0}};
  main.commands = {DispatchCommand{0, {3, 2, 2}, {1, 1, 1}, 0, {0}}};
  artifact.functions = {main};
  ASSERT_EQ(writeArtifact(artifact, dir.file("ids.mllm")), "");

  Handles handles;
  ASSERT_EQ(handles.open(dir.file("ids.mllm"), "cpu"), "");
  float unused = 0;
  ASSERT_EQ(
      take(mllm_session_set_input(handles.session, "unused", MLLM_DTYPE_F32,
                                  nullptr, 0, &unused, 4)),
      "");
  ASSERT_EQ(handles.run(), "");
  std::vector<float> ids(12);
  ASSERT_EQ(handles.readF32("ids", ids), "");
  for (uint32_t z = 0; z < 2; ++z)
    for (uint32_t y = 0; y < 2; ++y)
      for (uint32_t x = 0; x < 3; ++x)
        EXPECT_EQ(ids[(z * 2 + y) * 3 + x], x + 10 * y + 100 * z)
            << "workgroup " << x << ", " << y << ", " << z;
}

TEST(CpuDevice, BindsNamedDynamicDims) {
  TempDir dir;
  ASSERT_EQ(writeArtifact(makeCopyArtifact(), dir.file("copy.mllm")), "");
  Handles handles;
  ASSERT_EQ(handles.open(dir.file("copy.mllm"), "cpu"), "");

  mllm_tensor_info info;
  ASSERT_EQ(take(mllm_session_output_info(handles.session, 0, &info)), "");
  ASSERT_EQ(info.rank, 2u);
  EXPECT_EQ(info.dims[0], -1);
  EXPECT_STREQ(info.dim_names[0], "n");

  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_EQ(handles.setF32("x", x, {2, 4}), "");
  ASSERT_EQ(take(mllm_session_output_info(handles.session, 0, &info)), "");
  EXPECT_EQ(info.dims[0], 2);
  ASSERT_EQ(handles.run(), "");
  std::vector<float> y(8);
  ASSERT_EQ(handles.readF32("y", y), "");
  EXPECT_EQ(y, x);

  EXPECT_CONTAINS(handles.setF32("x", std::vector<float>(20), {5, 4}),
                  "input 'x' of shape [5, 4] does not fit its 64-byte buffer");
  EXPECT_CONTAINS(handles.setF32("x", std::vector<float>(8), {2, 3}),
                  "input 'x' has shape [n, 4], got [2, 3]");
}

TEST(CpuDevice, NamesMissingEntryPointsAndBadLibraries) {
  TempDir dir;
  std::string path = dir.file("a.mllm");
  ASSERT_EQ(writeArtifact(makeElementwiseArtifact(
                              cpuKernels({"mllm_test_add", "missing_kernel"})),
                          path),
            "");
  Handles handles;
  EXPECT_CONTAINS(handles.open(path, "cpu"),
                  "function 'main': the kernel library has no entry point "
                  "'missing_kernel'");

  KernelLibrary garbage = cpuKernels();
  garbage.binary = {'n', 'o', 't', ' ', 'e', 'l', 'f'};
  ASSERT_EQ(writeArtifact(makeElementwiseArtifact(garbage), path), "");
  Handles other;
  EXPECT_CONTAINS(other.open(path, "cpu"),
                  "the kernel library (x86-64) is not a 64-bit ELF shared "
                  "object");

  // A loadable segment past the end of the image made dlopen fault (SIGBUS
  // in the byte-flip test of a clang build) instead of fail.
  KernelLibrary truncated = cpuKernels();
  truncated.binary.resize(truncated.binary.size() / 2);
  ASSERT_EQ(writeArtifact(makeElementwiseArtifact(truncated), path), "");
  Handles third;
  EXPECT_CONTAINS(third.open(path, "cpu"), "the kernel library (x86-64) is "
                                           "corrupted: segment ");
}

TEST(CpuDevice, LoadsTwoKernelLibrariesSideBySide) {
  TempDir dir;
  ASSERT_EQ(
      writeArtifact(makeElementwiseArtifact(cpuKernels()), dir.file("a.mllm")),
      "");
  Handles first, second;
  ASSERT_EQ(first.open(dir.file("a.mllm"), "cpu"), "");
  ASSERT_EQ(second.open(dir.file("a.mllm"), "cpu"), "");
  EXPECT_EQ(checkElementwiseRun(first, 0.0f), "");
  EXPECT_EQ(checkElementwiseRun(second, 2.0f), "");
  first.release();
  EXPECT_EQ(checkElementwiseRun(second, 3.0f), "");
}

TEST(CpuDevice, RefusesUnknownFunctionsAndTargets) {
  TempDir dir;
  std::string path = dir.file("a.mllm");
  ASSERT_EQ(writeArtifact(makeElementwiseArtifact(cpuKernels()), path), "");
  Handles handles;
  EXPECT_CONTAINS(handles.open(path, "cpu", "decode"),
                  "has no function 'decode'; it has: main");

  KernelLibrary cubin{KernelFormat::Cubin, "sm_90", {1, 2, 3}, {"k"}};
  Artifact artifact = makeElementwiseArtifact(cubin, "cuda");
  std::get<DispatchCommand>(artifact.functions[0].commands[1]).entryPoint = 0;
  ASSERT_EQ(writeArtifact(artifact, path), "");
  Handles cuda;
  EXPECT_CONTAINS(cuda.open(path, "cpu"),
                  "is compiled for target 'cuda', but device 'cpu' runs 'cpu' "
                  "artifacts");
}

TEST(Devices, RefusesUnknownNames) {
  mllm_device *device = nullptr;
  EXPECT_EQ(take(mllm_device_open("tpu", &device)),
            std::string("unknown device 'tpu'; this runtime has: ") +
                mllm_device_names());
  EXPECT_EQ(device, nullptr);
  EXPECT_CONTAINS(mllm_device_names(), "cpu");
}

} // namespace
