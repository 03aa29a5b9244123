// What the scenarios share: addresses, names, paths, and sampling the measured window.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>

#include "../options.h"
#include "../report.h"

namespace parley::bench {

// The server's address; all-zero when options.host is not an IPv4 address.
sockaddr_in ServerAddress(const Options& o);
// Source address for connection `index`: 127.0.0.2, 127.0.0.3, ... round-robin over
// options.source_addrs addresses (network order).
uint32_t SourceAddress(const Options& o, uint64_t index);
// A name unique to this run, so rooms of earlier runs and real rooms are never reused:
// "<prefix>-<scenario>-<hex>".
std::string RunRoomBase(const Options& o);
// The upgrade path for `username` in `room`, for the protocol under test.
std::string JoinPath(const Options& o, const std::string& username, const std::string& room);
// Sleeps until CLOCK_MONOTONIC `when_ns`.
void SleepUntil(int64_t when_ns);

// Server and generator CPU over a window: Begin() at its start, End() at its end.
class WindowSampler {
 public:
  explicit WindowSampler(const Options& o) : pid_(o.server_pid) {}
  void Begin();
  void End();
  std::optional<double> server_cpu_s() const;
  std::optional<long> server_rss_kb() const { return rss_kb_; }
  double generator_cpu_s() const { return own_end_ - own_begin_; }

 private:
  int pid_;
  std::optional<double> begin_cpu_, end_cpu_;
  std::optional<long> rss_kb_;
  double own_begin_ = 0, own_end_ = 0;
};

// The parameters every scenario reports.
void AddCommonParams(const Options& o, Result* r);

}  // namespace parley::bench
