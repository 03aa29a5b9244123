// Loop: one epoll event loop, owned and run by exactly one thread.
//
// Level-triggered: a handler reads once per wake-up with the loop's one large receive
// buffer (an idle socket owns no buffer), and asks for EPOLLOUT only while it has bytes
// it could not write. The wait ends at the next deadline the owner sets, to the
// microsecond (epoll_pwait2), so open-loop send schedules are kept without polling.
//
// Two sets of sockets: "precise" ones (senders, receivers that measure latency) are
// handled as soon as they are ready; "bulk" ones (receivers that only count) are polled
// once per bulk interval, so each read returns every frame that arrived meanwhile and the
// per-delivery cost of a read and an epoll wake-up is shared by several frames. The
// server is unaffected: its writes land in the socket's receive buffer either way.
// Not thread-safe: every method runs on the owning thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parley::bench {

// CLOCK_MONOTONIC in nanoseconds (the clock every latency in parley-bench uses).
int64_t NowNs();

class Loop {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // `events` is the epoll mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP).
    virtual void OnEvents(uint32_t events) = 0;
  };

  // `bulk_interval_us` 0 makes every socket precise.
  explicit Loop(int bulk_interval_us = 0);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  bool ok() const { return epfd_ >= 0; }

  // Registers `fd` for `events` in the precise or the bulk set; `handler` must outlive
  // the registration. Modify must name the same set as Add.
  bool Add(int fd, uint32_t events, Handler* handler, bool bulk = false);
  bool Modify(int fd, uint32_t events, Handler* handler, bool bulk = false);
  bool has_bulk() const { return bulk_epfd_ >= 0; }
  // Removes `fd` (closing it also removes it; this is for handlers that keep the fd).
  void Remove(int fd, bool bulk = false);

  // Waits for events until `wake_ns` (CLOCK_MONOTONIC; 0 = no deadline) but never longer
  // than `max_wait_ms`, and dispatches them. Returns the number of events handled.
  int RunOnce(int64_t wake_ns, int max_wait_ms);

  // The shared receive buffer. Valid until the next call that reads into it.
  char* buffer() { return buffer_.data(); }
  size_t buffer_size() const { return buffer_.size(); }
  // Makes the buffer at least `bytes` long (for a peer that sends frames larger than it).
  void GrowBuffer(size_t bytes);

 private:
  int Dispatch(int epfd, int64_t timeout_ns);

  int epfd_ = -1;
  int bulk_epfd_ = -1;
  int64_t bulk_interval_ns_ = 0;
  int64_t next_bulk_ns_ = 0;
  std::vector<char> buffer_;
};

}  // namespace parley::bench
