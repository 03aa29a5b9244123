// ConnectionGate: the per-IP connection caps, checked when a socket is accepted, before
// any byte of it is read.
//
//   limits.max_connections_per_ip          open sockets from one address
//   limits.new_connections_per_ip_per_s    new sockets from one address, a token bucket
//   limits.new_connections_per_ip_burst    ...with this burst
//
// Admit() counts the socket in or says why not; Release() is called once for every
// admitted socket when it closes. Loopback peers are not counted when exempt_loopback is
// set (a reverse proxy on the same host makes every client 127.0.0.1).
//
// Memory: one entry per address with open sockets (at most limits.max_connections) plus
// recent addresses whose bucket has not refilled; those are swept when a stripe holds more
// than max_keys / 64. Overflow rule: past that, an address is forgotten as soon as its
// last socket closes (counted in overflowed()), so the table never holds more than
// max_keys plus the addresses with open sockets; such an address's new-connection bucket
// starts full again next time.
//
// Thread-safe: 64 mutex-striped maps; any shard thread may call it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "guard/token_bucket.h"

namespace parley::guard {

struct GateOptions {
  int max_per_ip = 256;          // 0 = no cap
  RateRule new_per_ip{20, 100};  // per_s 0 = no rate cap
  int max_keys = 100000;
  bool exempt_loopback = true;
};

struct Admission {
  ErrorCode code = ErrorCode::kOk;  // kOk, kIpConnectionLimit or kRateLimited
  int64_t retry_after_ms = 0;       // with kRateLimited

  bool ok() const { return code == ErrorCode::kOk; }
};

class ConnectionGate {
 public:
  explicit ConnectionGate(GateOptions options);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // A new socket from `ip` at `now_ms` (monotonic). When ok, the caller owes one Release.
  Admission Admit(std::string_view ip, int64_t now_ms);
  Admission Admit(std::string_view ip);  // on the steady clock
  void Release(std::string_view ip);

  int64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  int64_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }
  // Open sockets counted for `ip` (tests).
  int open_from(std::string_view ip) const;

 private:
  struct Stripe;
  bool Exempt(std::string_view ip) const;

  const GateOptions options_;
  size_t stripe_capacity_;
  std::unique_ptr<Stripe[]> stripes_;
  std::atomic<int64_t> refused_{0};
  std::atomic<int64_t> overflowed_{0};
};

}  // namespace parley::guard
