//===- WorkgroupPool.h - Threads that run a dispatch's workgroups -*- C++
//-*-===//
//
// The CPU device calls a kernel once per workgroup id. Workgroups of one
// dispatch are independent (targets/cpu/Workgroups.h splits a dispatch only
// where slices write disjoint memory), so a pool of threads takes them from a
// shared counter; dispatches still run one after another: run() returns when
// every workgroup of its dispatch has finished.
//
// A pool of N threads starts N - 1 workers; the thread that calls run() works
// too. A pool of one thread starts none and runs everything on the caller.
//
//===----------------------------------------------------------------------===//

#ifndef MLLM_RUNTIME_CPU_WORKGROUPPOOL_H
#define MLLM_RUNTIME_CPU_WORKGROUPPOOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace mllm::runtime {

class WorkgroupPool {
public:
  /// Starts `threads` - 1 workers (`threads` >= 1). Throws std::system_error
  /// when the system cannot start a thread.
  explicit WorkgroupPool(unsigned threads);
  ~WorkgroupPool();
  WorkgroupPool(const WorkgroupPool &) = delete;
  WorkgroupPool &operator=(const WorkgroupPool &) = delete;

  /// The threads that run workgroups, the caller of run() included.
  unsigned threadCount() const {
    return static_cast<unsigned>(workers.size()) + 1;
  }

  /// Calls `body(index)` exactly once for every index in [0, count), spread
  /// over the pool's threads, and returns when all calls have returned.
  /// When a call throws, indices not yet started are skipped and the first
  /// exception is rethrown here. While another thread is inside run() (two
  /// sessions on one device), this call runs its indices on the caller alone.
  /// Allocates nothing.
  template <typename Body> void run(uint64_t count, Body &&body) {
    using Stored = std::remove_reference_t<Body>;
    runJob(
        count,
        [](void *context, uint64_t index) {
          (*static_cast<Stored *>(context))(index);
        },
        const_cast<void *>(static_cast<const void *>(&body)));
  }

private:
  using Function = void (*)(void *context, uint64_t index);

  void runJob(uint64_t count, Function function, void *context);
  /// Takes indices of the current job until none is left.
  void work();
  /// The loop of worker `id` (0-based): it joins the jobs that need it.
  void workerLoop(unsigned id);
  /// Stops and joins the workers.
  void stop();

  std::vector<std::thread> workers;

  /// Serializes callers of run(); one that finds it held runs alone.
  std::mutex runMutex;

  /// Guards everything below but `next`.
  std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable done;
  /// Incremented for every job handed to the workers.
  uint64_t generation = 0;
  bool stopping = false;
  /// Workers the current job uses: workers [0, active) (a job of n indices
  /// needs at most n - 1 besides the caller); the others sleep through it.
  unsigned active = 0;
  /// Workers still inside the current job.
  unsigned busy = 0;
  Function function = nullptr;
  void *context = nullptr;
  uint64_t count = 0;
  std::exception_ptr error;

  /// The next index to run; >= count once the job is finished or failed.
  std::atomic<uint64_t> next{0};
};

} // namespace mllm::runtime

#endif // MLLM_RUNTIME_CPU_WORKGROUPPOOL_H
