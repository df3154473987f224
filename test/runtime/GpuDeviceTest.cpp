//===- GpuDeviceTest.cpp - The cuda and hip devices -----------------------===//
//
// Where no driver or GPU exists, opening a GPU device must fail with a clear
// message, never crash. Where a CUDA GPU exists, the elementwise artifact runs
// on it from a cubin built with the test (MLLM_TEST_CUBIN).
//
//===----------------------------------------------------------------------===//

#include "mllm/runtime.h"
#include "test/runtime/SessionTestUtils.h"
#include "test/runtime/TestArtifacts.h"

#include <dlfcn.h>
#include <filesystem>
#include <gtest/gtest.h>

using namespace mllm::test;
using namespace mllmc::artifact;

namespace {

#define EXPECT_CONTAINS(text, part)                                            \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                   \
      << "message: " << (text)

/// Whether the shared library `name` can be opened in this process.
bool libraryLoads(const char *name) {
  void *handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (handle)
    ::dlclose(handle);
  return handle != nullptr;
}

/// Opens `name`; returns the message, "" on success (the device is released).
std::string openError(const char *name) {
  mllm_device *device = nullptr;
  std::string message = take(mllm_device_open(name, &device));
  EXPECT_EQ(message.empty(), device != nullptr);
  mllm_device_release(device);
  return message;
}

bool isRegistered(const char *name) {
  return std::string(mllm_device_names()).find(name) != std::string::npos;
}

TEST(CudaDevice, OpensOrSaysWhyNot) {
  if (!isRegistered("cuda"))
    GTEST_SKIP() << "built without cuda.h";
  std::string message = openError("cuda");
  if (!libraryLoads("libcuda.so.1"))
    EXPECT_CONTAINS(message, "CUDA driver (libcuda.so.1) not found: ");
  else if (!message.empty())
    EXPECT_TRUE(message.find("CUDA") != std::string::npos) << message;
  // Asking again gives the same answer (the driver is loaded once).
  EXPECT_EQ(openError("cuda"), message);
}

TEST(HipDevice, OpensOrSaysWhyNot) {
  if (!isRegistered("hip"))
    GTEST_SKIP() << "built without the HIP headers";
  std::string message = openError("hip");
  if (!libraryLoads("libamdhip64.so") && !libraryLoads("libamdhip64.so.6") &&
      !libraryLoads("libamdhip64.so.5"))
    EXPECT_CONTAINS(message, "HIP runtime (libamdhip64.so) not found: ");
  else if (!std::filesystem::exists("/dev/kfd"))
    EXPECT_CONTAINS(message, "HIP device");
}

TEST(CudaDevice, RunsTheElementwiseArtifact) {
  std::string cubinPath = MLLM_TEST_CUBIN;
  if (cubinPath.empty())
    GTEST_SKIP() << "built without the CUDA toolkit (no test cubin)";
  if (!isRegistered("cuda") || !openError("cuda").empty())
    GTEST_SKIP() << "no CUDA device: " << openError("cuda");

  TempDir dir;
  std::string path = dir.file("elementwise.mllm");
  Artifact artifact =
      makeElementwiseArtifact({KernelFormat::Cubin,
                               "sm_90",
                               readFile(cubinPath),
                               {"mllm_test_add", "mllm_test_exp_scale"}},
                              "cuda");
  ASSERT_EQ(writeArtifact(artifact, path), "");
  Handles handles;
  ASSERT_EQ(handles.open(path, "cuda"), "");
  std::printf("device: %s\n", mllm_device_description(handles.device));
  EXPECT_EQ(checkElementwiseRun(handles, 0.0f), "");
  EXPECT_EQ(checkElementwiseRun(handles, 1.0f), "");

  Handles cpu;
  EXPECT_CONTAINS(cpu.open(path, "cpu"),
                  "is compiled for target 'cuda', but device 'cpu' runs 'cpu' "
                  "artifacts");
}

} // namespace
