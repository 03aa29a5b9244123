// Worker: one thread that runs the uploads' blocking disk work (hashing, writing, fsync,
// reading files) so no shard thread ever waits on the disk. It is not the store's writer:
// a 10 MiB write and its fsync there would hold up every chat message's group commit.
//
// Thread-safe: Submit may be called from any thread; jobs run on the worker thread in
// submission order. The destructor runs the jobs already queued, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace parley::upload {

class Worker {
 public:
  // `max_queue`: jobs waiting at once. Overflow: Submit returns false and drops the job
  // (the caller answers 503 unavailable).
  explicit Worker(size_t max_queue);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues `job`; false (job not run) when max_queue jobs are already waiting.
  bool Submit(std::function<void()> job);

 private:
  void Run();

  const size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::thread thread_;
};

}  // namespace parley::upload
