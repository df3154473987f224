//===- WorkgroupPoolTest.cpp - The CPU device's workgroup threads ---------===//

#include "runtime/cpu/WorkgroupPool.h"

#include "mllm/runtime.h"
#include "test/runtime/SessionTestUtils.h"
#include "test/runtime/TestArtifacts.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <stdexcept>

using mllm::runtime::WorkgroupPool;
using namespace mllm::test;
using namespace mllmc::artifact;

namespace {

/// Runs `count` indices on `pool` and returns how often each ran.
std::vector<int> runCounting(WorkgroupPool &pool, uint64_t count) {
  std::vector<std::atomic<int>> runs(count);
  pool.run(count, [&](uint64_t index) { runs[index].fetch_add(1); });
  std::vector<int> result;
  for (std::atomic<int> &value : runs)
    result.push_back(value.load());
  return result;
}

class WorkgroupPoolThreads : public ::testing::TestWithParam<unsigned> {};

TEST_P(WorkgroupPoolThreads, RunsEveryIndexExactlyOnce) {
  WorkgroupPool pool(GetParam());
  EXPECT_EQ(pool.threadCount(), GetParam());
  for (uint64_t count : {0, 1, 2, 3, 7, 64, 1000})
    EXPECT_EQ(runCounting(pool, count), std::vector<int>(count, 1))
        << count << " indices on " << GetParam() << " threads";
}

TEST_P(WorkgroupPoolThreads, RunsManyDispatchesInOrder) {
  WorkgroupPool pool(GetParam());
  // Each job reads what the one before wrote: run() must not return early.
  std::vector<uint64_t> values(16, 0);
  for (uint64_t job = 1; job <= 2000; ++job)
    pool.run(values.size(), [&](uint64_t index) {
      ASSERT_EQ(values[index], job - 1) << "job " << job;
      values[index] = job;
    });
  EXPECT_EQ(values, std::vector<uint64_t>(16, 2000));
}

TEST_P(WorkgroupPoolThreads, RethrowsTheFirstExceptionAndStaysUsable) {
  WorkgroupPool pool(GetParam());
  std::vector<std::atomic<int>> runs(200);
  try {
    pool.run(runs.size(), [&](uint64_t index) {
      runs[index].fetch_add(1);
      if (index == 5)
        throw std::runtime_error("workgroup 5 failed");
    });
    FAIL() << "run() did not rethrow";
  } catch (const std::runtime_error &error) {
    EXPECT_STREQ(error.what(), "workgroup 5 failed");
  }
  EXPECT_EQ(runs[5].load(), 1);
  for (std::atomic<int> &value : runs)
    EXPECT_LE(value.load(), 1);
  EXPECT_EQ(runCounting(pool, 100), std::vector<int>(100, 1));
}

INSTANTIATE_TEST_SUITE_P(Threads, WorkgroupPoolThreads,
                         ::testing::Values(1u, 2u, 3u, 8u));

TEST(WorkgroupPool, OneThreadRunsOnTheCaller) {
  WorkgroupPool pool(1);
  std::set<std::thread::id> threads;
  pool.run(50, [&](uint64_t) { threads.insert(std::this_thread::get_id()); });
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(WorkgroupPool, SpreadsWorkOverItsThreads) {
  WorkgroupPool pool(4);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  pool.run(64, [&](uint64_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_GE(threads.size(), 2u);
  EXPECT_LE(threads.size(), 4u);
}

TEST(WorkgroupPool, TwoCallersAtOnceEachRunEverything) {
  WorkgroupPool pool(3);
  std::vector<int> first, second;
  std::thread other([&] {
    for (int i = 0; i < 200; ++i)
      first = runCounting(pool, 37);
  });
  for (int i = 0; i < 200; ++i)
    second = runCounting(pool, 41);
  other.join();
  EXPECT_EQ(first, std::vector<int>(37, 1));
  EXPECT_EQ(second, std::vector<int>(41, 1));
}

/// Sets MLLM_NUM_THREADS while it lives.
class ThreadsVariable {
public:
  explicit ThreadsVariable(const char *value) {
    ::setenv("MLLM_NUM_THREADS", value, 1);
  }
  ~ThreadsVariable() { ::unsetenv("MLLM_NUM_THREADS"); }
};

/// An artifact whose one dispatch of 3 x 2 x 2 workgroups adds
/// x + 10 y + 100 z to its workgroup's element of `ids` (the test kernel's
/// fixed layout).
Artifact makeWorkgroupIdsArtifact() {
  Artifact artifact;
  artifact.target = "cpu";
  artifact.kernels = {KernelFormat::ElfSharedObject,
                      "x86-64",
                      cpuKernelLibrary(),
                      {"mllm_test_workgroup_ids"}};
  artifact.buffers = {{BufferLocation::Arena, 0, 48},
                      {BufferLocation::Arena, 64, 4}};
  Function main;
  main.name = "main";
  main.arenaSize = 128;
  main.inputs = {{"unused", ElementType::F32, {}, {}, 1}};
  main.outputs = {{"ids", ElementType::F32, {2, 2, 3}, {}, 0}};
  main.commands = {DispatchCommand{0, {3, 2, 2}, {1, 1, 1}, 0, {0}}};
  artifact.functions = {main};
  return artifact;
}

TEST(CpuDeviceThreads, RunsEveryWorkgroupOnceOnThreeThreads) {
  ThreadsVariable threads("3");
  TempDir dir;
  ASSERT_EQ(writeArtifact(makeWorkgroupIdsArtifact(), dir.file("ids.mllm")),
            "");
  Handles handles;
  ASSERT_EQ(handles.open(dir.file("ids.mllm"), "cpu"), "");
  EXPECT_STREQ(mllm_device_description(handles.device), "host CPU, 3 threads");
  float unused = 0;
  for (int run = 0; run < 20; ++run) {
    ASSERT_EQ(
        take(mllm_session_set_input(handles.session, "unused", MLLM_DTYPE_F32,
                                    nullptr, 0, &unused, 4)),
        "");
    ASSERT_EQ(handles.run(), "");
  }
  std::vector<float> ids(12);
  ASSERT_EQ(handles.readF32("ids", ids), "");
  // The arena persists between runs: each run added once more.
  for (uint32_t z = 0; z < 2; ++z)
    for (uint32_t y = 0; y < 2; ++y)
      for (uint32_t x = 0; x < 3; ++x)
        EXPECT_EQ(ids[(z * 2 + y) * 3 + x], 20.0f * (x + 10 * y + 100 * z))
            << "workgroup " << x << ", " << y << ", " << z;
}

TEST(CpuDeviceThreads, OneThreadAsAsked) {
  ThreadsVariable threads("1");
  mllm_device *device = nullptr;
  ASSERT_EQ(take(mllm_device_open("cpu", &device)), "");
  EXPECT_STREQ(mllm_device_description(device), "host CPU, 1 thread");
  mllm_device_release(device);
}

TEST(CpuDeviceThreads, RefusesBadThreadCounts) {
  for (const char *value : {"0", "-2", "two", "4x", "100000"}) {
    ThreadsVariable threads(value);
    mllm_device *device = nullptr;
    EXPECT_EQ(take(mllm_device_open("cpu", &device)),
              std::string("MLLM_NUM_THREADS must be a thread count from 1 to "
                          "1024, got '") +
                  value + "'");
    EXPECT_EQ(device, nullptr);
  }
}

} // namespace
