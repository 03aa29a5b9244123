#include "loop.h"

#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace parley::bench {
namespace {

constexpr size_t kReceiveBuffer = 256 * 1024;
constexpr int kMaxEvents = 512;

}  // namespace

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

Loop::Loop(int bulk_interval_us) : buffer_(kReceiveBuffer) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  if (bulk_interval_us > 0) {
    bulk_epfd_ = epoll_create1(EPOLL_CLOEXEC);
    bulk_interval_ns_ = int64_t{bulk_interval_us} * 1000;
  }
}

Loop::~Loop() {
  if (epfd_ >= 0) close(epfd_);
  if (bulk_epfd_ >= 0) close(bulk_epfd_);
}

bool Loop::Add(int fd, uint32_t events, Handler* handler, bool bulk) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return epoll_ctl(bulk && bulk_epfd_ >= 0 ? bulk_epfd_ : epfd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool Loop::Modify(int fd, uint32_t events, Handler* handler, bool bulk) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return epoll_ctl(bulk && bulk_epfd_ >= 0 ? bulk_epfd_ : epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void Loop::Remove(int fd, bool bulk) {
  epoll_ctl(bulk && bulk_epfd_ >= 0 ? bulk_epfd_ : epfd_, EPOLL_CTL_DEL, fd, nullptr);
}

void Loop::GrowBuffer(size_t bytes) {
  if (bytes > buffer_.size()) buffer_.resize(bytes);
}

int Loop::RunOnce(int64_t wake_ns, int max_wait_ms) {
  int handled = 0;
  const int64_t now = NowNs();
  if (bulk_epfd_ >= 0) {
    if (now >= next_bulk_ns_) {
      // Drain every ready bulk socket (a full batch means there may be more).
      for (int i = 0; i < 256; ++i) {
        const int n = Dispatch(bulk_epfd_, 0);
        handled += n;
        if (n < kMaxEvents) break;
      }
      next_bulk_ns_ = now + bulk_interval_ns_;
    }
    if (wake_ns == 0 || next_bulk_ns_ < wake_ns) wake_ns = next_bulk_ns_;
  }
  int64_t timeout_ns = int64_t{max_wait_ms} * 1'000'000;
  if (wake_ns > 0) timeout_ns = std::clamp<int64_t>(wake_ns - now, 0, timeout_ns);
  return handled + Dispatch(epfd_, timeout_ns);
}

int Loop::Dispatch(int epfd, int64_t timeout_ns) {
  epoll_event events[kMaxEvents];
  // epoll_pwait2 takes a nanosecond timeout, so send schedules are kept to the
  // microsecond without a timerfd (and its two extra system calls per wake-up).
  timespec ts{};
  ts.tv_sec = timeout_ns / 1'000'000'000;
  ts.tv_nsec = timeout_ns % 1'000'000'000;
  const int n = epoll_pwait2(epfd, events, kMaxEvents, &ts, nullptr);
  for (int i = 0; i < n; ++i) {
    static_cast<Handler*>(events[i].data.ptr)->OnEvents(events[i].events);
  }
  return n < 0 ? 0 : n;
}

}  // namespace parley::bench
