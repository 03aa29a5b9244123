// TimerWheel: one hashed timing wheel per shard, so idle and request timeouts cost no
// timer object per socket. Granularity is one tick (the shard ticks it once a second).
// Nodes are intrusive: an entry lives inside the object it times. Not thread-safe: owned
// and used by one shard thread. Pure logic, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parley::net {

class TimerWheel;

// Embed in an object to give it one timeout. Unlinks itself on destruction.
class TimerNode {
 public:
  TimerNode() = default;
  TimerNode(const TimerNode&) = delete;
  TimerNode& operator=(const TimerNode&) = delete;
  virtual ~TimerNode() { Cancel(); }

  bool scheduled() const { return wheel_ != nullptr; }
  void Cancel();

 protected:
  // Runs on the shard thread when the timeout expires; the node is already unlinked.
  virtual void OnTimeout() = 0;

 private:
  friend class TimerWheel;
  TimerWheel* wheel_ = nullptr;
  TimerNode* prev_ = nullptr;
  TimerNode* next_ = nullptr;
  uint64_t expires_tick_ = 0;
};

class TimerWheel {
 public:
  explicit TimerWheel(size_t slots = 64);
  ~TimerWheel();

  // (Re)schedules `node` to time out `ticks` ticks from now (at least one).
  void Schedule(TimerNode& node, uint64_t ticks);
  // Advances one tick and fires every node that is due.
  void Tick();

  uint64_t now() const { return now_; }
  size_t size() const { return size_; }

 private:
  friend class TimerNode;
  void Unlink(TimerNode& node);

  std::vector<TimerNode*> heads_;
  uint64_t now_ = 0;
  size_t size_ = 0;
};

}  // namespace parley::net
