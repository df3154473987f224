//===- WorkgroupPool.cpp - Threads that run a dispatch's workgroups -------===//

#include "runtime/cpu/WorkgroupPool.h"

#include <algorithm>

namespace mllm::runtime {

WorkgroupPool::WorkgroupPool(unsigned threads) {
  try {
    for (unsigned i = 1; i < threads; ++i)
      workers.emplace_back([this, id = i - 1] { workerLoop(id); });
  } catch (...) {
    stop();
    throw;
  }
}

WorkgroupPool::~WorkgroupPool() { stop(); }

void WorkgroupPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &worker : workers)
    worker.join();
  workers.clear();
}

void WorkgroupPool::work() {
  for (;;) {
    uint64_t index = next.fetch_add(1, std::memory_order_relaxed);
    if (index >= count)
      return;
    try {
      function(context, index);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!error)
        error = std::current_exception();
      next.store(count, std::memory_order_relaxed);
    }
  }
}

void WorkgroupPool::workerLoop(unsigned id) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] {
        return stopping || (generation != seen && id < active);
      });
      if (stopping)
        return;
      seen = generation;
    }
    work();
    std::lock_guard<std::mutex> lock(mutex);
    if (--busy == 0)
      done.notify_one();
  }
}

void WorkgroupPool::runJob(uint64_t jobCount, Function jobFunction,
                           void *jobContext) {
  std::unique_lock<std::mutex> runLock(runMutex, std::defer_lock);
  if (workers.empty() || jobCount <= 1 || !runLock.try_lock()) {
    for (uint64_t index = 0; index < jobCount; ++index)
      jobFunction(jobContext, index);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    function = jobFunction;
    context = jobContext;
    count = jobCount;
    error = nullptr;
    next.store(0, std::memory_order_relaxed);
    active =
        static_cast<unsigned>(std::min<uint64_t>(workers.size(), jobCount - 1));
    busy = active;
    ++generation;
  }
  wake.notify_all();
  work();
  std::exception_ptr failure;
  {
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [&] { return busy == 0; });
    failure = std::move(error);
    error = nullptr;
  }
  if (failure)
    std::rethrow_exception(failure);
}

} // namespace mllm::runtime
