// RateLimiter: parley's token buckets per action, per connection, per user and per IP.
//
// Every action a client can repeat (a chat message, a typing event, a join, a match
// request, an upload, an AI request, an HTTP API call, a login or registration) has a rule in
// [rate] of parley.toml: tokens per second and a burst. A caller asks before acting:
//
//   guard::RateDecision d = limiter.Take(guard::Action::kUpload,
//                                        {.connection = &buckets, .user = name, .ip = ip});
//   if (!d.allowed()) -> refuse with rate_limited and d.retry_after_ms (HTTP: 429 and
//                        Retry-After = ceil(d.retry_after_ms / 1000)); nothing was counted.
//
// A Take passes only when every bucket it names has a token: the connection's own (kept
// by the caller in a ConnectionBuckets, no lock), the user's and the IP's (shared by every
// shard: a table of 64 mutex-striped hash maps keyed by a 64-bit hash, so two shards meet
// only when they touch the same stripe). Per-IP buckets get the rule times
// rate.ip_factor, since many people can share one address. Loopback peers have no IP
// bucket when exempt_loopback is set (a reverse proxy on the same host).
//
// Memory: at most max_keys user/IP buckets. A bucket that has refilled completely holds
// nothing a fresh one would not and is evicted when its stripe fills. Overflow rule: when
// a stripe is full of active buckets, new keys of that stripe share one overflow bucket
// per action and scope, so a flood of fresh keys is still limited (together), and memory
// does not grow.
//
// Thread-safe: Take may be called from any thread. ConnectionBuckets is not: it belongs to
// one connection, on its shard thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "guard/token_bucket.h"

namespace parley::guard {

enum class Action : uint8_t { kMessage, kTyping, kJoin, kMatch, kUpload, kAi, kHttp, kLogin };
inline constexpr int kActionCount = 8;

// "message", "typing", "join", "match", "upload", "ai", "http", "login".
std::string_view ActionName(Action a);

struct RateOptions {
  bool enabled = true;                       // false: every Take passes
  std::array<RateRule, kActionCount> rules;  // indexed by Action
  int ip_factor = 10;                        // per-IP buckets: per_s and burst times this
  int max_keys = 100000;                     // user and IP buckets kept, all actions
  bool exempt_loopback = true;               // no IP buckets for 127.0.0.0/8 and ::1
};

// One connection's own buckets. Owned by the connection's handler; its shard thread only.
struct ConnectionBuckets {
  std::array<TokenBucket, kActionCount> buckets;
};

struct RateKeys {
  ConnectionBuckets* connection = nullptr;  // nullptr: no per-connection bucket
  std::string_view user{};                  // "": no per-user bucket
  std::string_view ip{};                    // "": no per-IP bucket
};

struct RateDecision {
  int64_t retry_after_ms = 0;  // 0: allowed; otherwise when to try again

  bool allowed() const { return retry_after_ms == 0; }
};

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z, as textual addresses.
bool IsLoopback(std::string_view ip);

class RateLimiter {
 public:
  explicit RateLimiter(RateOptions options);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token of `action` from every bucket `keys` names, on the steady clock.
  RateDecision Take(Action action, const RateKeys& keys);
  // The same at `now_ms` (any monotonic milliseconds; tests drive it by hand).
  RateDecision TakeAt(Action action, const RateKeys& keys, int64_t now_ms);

  const RateOptions& options() const { return options_; }
  // Shared buckets held now, refusals and overflowed keys so far (for /metrics).
  int64_t tracked_keys() const;
  int64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  int64_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }

 private:
  enum Scope : uint8_t { kUser = 0, kIp = 1 };
  struct Stripe;
  // Takes from the shared bucket (scope, action, key). Returns 0 or the retry delay.
  int64_t TakeShared(Scope scope, Action action, std::string_view key, int64_t now_ms);
  void RefundShared(Scope scope, Action action, std::string_view key);
  const RateRule& Rule(Scope scope, Action action) const;

  const RateOptions options_;
  std::array<RateRule, kActionCount> ip_rules_;
  size_t stripe_capacity_;
  std::unique_ptr<Stripe[]> stripes_;
  std::atomic<int64_t> refused_{0};
  std::atomic<int64_t> overflowed_{0};
};

}  // namespace parley::guard
