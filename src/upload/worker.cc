#include "upload/worker.h"

namespace parley::upload {

Worker::Worker(size_t max_queue) : max_queue_(max_queue), thread_([this] { Run(); }) {}

Worker::~Worker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

bool Worker::Submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queue_ || stopping_) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void Worker::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to do
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace parley::upload
