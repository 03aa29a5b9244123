#include "guard/rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "base/hash.h"

namespace parley::guard {
namespace {

constexpr int kStripes = 64;
// A stripe whose sweep freed nothing is not swept again for this long: new keys overflow
// meanwhile instead of paying for a sweep each.
constexpr int64_t kSweepBackoffMs = 1000;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view ActionName(Action a) {
  static constexpr std::string_view kNames[kActionCount] = {"message", "typing", "join", "match",
                                                            "upload",  "ai",     "http", "login"};
  return kNames[static_cast<int>(a)];
}

bool IsLoopback(std::string_view ip) {
  return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
}

struct RateLimiter::Stripe {
  struct Entry {
    TokenBucket bucket;
    Action action;
    Scope scope;
  };
  std::mutex mu;
  std::unordered_map<uint64_t, Entry> map;  // guarded by mu
  TokenBucket overflow[2][kActionCount];    // guarded by mu
  int64_t next_sweep_ms = 0;                // guarded by mu
  std::atomic<int64_t> size{0};             // map.size(), for metrics
};

RateLimiter::RateLimiter(RateOptions options)
    : options_(std::move(options)),
      stripe_capacity_(static_cast<size_t>(std::max(1, options_.max_keys / kStripes))),
      stripes_(std::make_unique<Stripe[]>(kStripes)) {
  // Saturating: a huge rule times a huge factor is "no practical limit", not an overflow.
  auto times = [f = int64_t{std::max(1, options_.ip_factor)}](int v) {
    return static_cast<int>(std::min<int64_t>(int64_t{v} * f, std::numeric_limits<int>::max()));
  };
  for (int i = 0; i < kActionCount; ++i) {
    ip_rules_[i] = RateRule{times(options_.rules[i].per_s), times(options_.rules[i].burst)};
  }
}

RateLimiter::~RateLimiter() = default;

const RateRule& RateLimiter::Rule(Scope scope, Action action) const {
  const int i = static_cast<int>(action);
  return scope == kIp ? ip_rules_[i] : options_.rules[i];
}

int64_t RateLimiter::tracked_keys() const {
  int64_t n = 0;
  for (int i = 0; i < kStripes; ++i) n += stripes_[i].size.load(std::memory_order_relaxed);
  return n;
}

RateDecision RateLimiter::Take(Action action, const RateKeys& keys) {
  return TakeAt(action, keys, SteadyMs());
}

RateDecision RateLimiter::TakeAt(Action action, const RateKeys& keys, int64_t now_ms) {
  const RateRule& rule = options_.rules[static_cast<int>(action)];
  if (!options_.enabled || !rule.enabled()) return {};
  // Cheapest first; a later refusal gives back what earlier buckets took, so a refused
  // action counts nowhere.
  TokenBucket* conn =
      keys.connection ? &keys.connection->buckets[static_cast<int>(action)] : nullptr;
  if (conn != nullptr) {
    if (int64_t wait = conn->Take(rule, now_ms); wait > 0) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      return {wait};
    }
  }
  const bool use_user = !keys.user.empty();
  const bool use_ip = !keys.ip.empty() && !(options_.exempt_loopback && IsLoopback(keys.ip));
  int64_t wait = 0;
  if (use_user) wait = TakeShared(kUser, action, keys.user, now_ms);
  if (wait == 0 && use_ip) {
    wait = TakeShared(kIp, action, keys.ip, now_ms);
    if (wait > 0 && use_user) RefundShared(kUser, action, keys.user);
  }
  if (wait > 0) {
    if (conn != nullptr) conn->Refund(rule);
    refused_.fetch_add(1, std::memory_order_relaxed);
  }
  return {wait};
}

namespace {
uint64_t KeyHash(int scope, Action action, std::string_view key) {
  // Mix scope and action into the key's hash so one name has one bucket per (scope, action).
  return Fnv1a(key) ^ ((static_cast<uint64_t>(scope) << 8 | static_cast<uint64_t>(action)) *
                       0x9e3779b97f4a7c15ull);
}
}  // namespace

int64_t RateLimiter::TakeShared(Scope scope, Action action, std::string_view key, int64_t now_ms) {
  const RateRule& rule = Rule(scope, action);
  const uint64_t h = KeyHash(scope, action, key);
  Stripe& s = stripes_[h % kStripes];
  std::lock_guard lock(s.mu);
  auto it = s.map.find(h);
  if (it == s.map.end()) {
    if (s.map.size() >= stripe_capacity_ && now_ms >= s.next_sweep_ms) {
      // Forget every bucket that has refilled: it is the same as a fresh one.
      const size_t before = s.map.size();
      std::erase_if(s.map, [&](const auto& kv) {
        return kv.second.bucket.IdleAt(Rule(kv.second.scope, kv.second.action), now_ms);
      });
      if (s.map.size() == before) s.next_sweep_ms = now_ms + kSweepBackoffMs;
      s.size.store(static_cast<int64_t>(s.map.size()), std::memory_order_relaxed);
    }
    if (s.map.size() >= stripe_capacity_) {
      overflowed_.fetch_add(1, std::memory_order_relaxed);
      return s.overflow[scope][static_cast<int>(action)].Take(rule, now_ms);
    }
    it = s.map.emplace(h, Stripe::Entry{TokenBucket(), action, scope}).first;
    s.size.store(static_cast<int64_t>(s.map.size()), std::memory_order_relaxed);
  }
  return it->second.bucket.Take(rule, now_ms);
}

void RateLimiter::RefundShared(Scope scope, Action action, std::string_view key) {
  const uint64_t h = KeyHash(scope, action, key);
  Stripe& s = stripes_[h % kStripes];
  std::lock_guard lock(s.mu);
  if (auto it = s.map.find(h); it != s.map.end()) it->second.bucket.Refund(Rule(scope, action));
}

}  // namespace parley::guard
