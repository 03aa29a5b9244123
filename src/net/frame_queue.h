// FrameQueue: a socket's outgoing frames, in order. A vector with a moving head instead of
// std::deque, because libstdc++'s deque allocates a 512-byte block as soon as it exists:
// an idle socket would pay for it. An empty FrameQueue owns no heap memory once drained.
// Not thread-safe; used by its connection's shard thread.
#pragma once

#include <cstddef>
#include <vector>

#include "protocol/shared_frame.h"

namespace parley::net {

class FrameQueue {
 public:
  bool empty() const { return head_ == frames_.size(); }
  size_t size() const { return frames_.size() - head_; }
  const SharedFrame& front() const { return frames_[head_]; }
  const SharedFrame& back() const { return frames_.back(); }
  auto begin() const { return frames_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() const { return frames_.end(); }

  void push_back(SharedFrame f) { frames_.push_back(std::move(f)); }
  void pop_back() {
    frames_.pop_back();
    if (empty()) clear();
  }
  void pop_front() {
    frames_[head_++].reset();
    if (empty()) clear();
  }
  // Drops every frame; gives the memory back when a burst made the queue large.
  void clear() {
    if (frames_.capacity() > kKeepCapacity) {
      std::vector<SharedFrame>().swap(frames_);
    } else {
      frames_.clear();
    }
    head_ = 0;
  }

 private:
  static constexpr size_t kKeepCapacity = 8;
  std::vector<SharedFrame> frames_;
  size_t head_ = 0;
};

}  // namespace parley::net
