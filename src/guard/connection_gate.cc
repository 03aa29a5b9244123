#include "guard/connection_gate.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include "base/hash.h"
#include "guard/rate_limiter.h"

namespace parley::guard {
namespace {

constexpr int kStripes = 64;

}  // namespace

struct ConnectionGate::Stripe {
  struct Entry {
    int open = 0;
    TokenBucket bucket;
  };
  mutable std::mutex mu;
  std::unordered_map<uint64_t, Entry> map;  // guarded by mu; key: Fnv1a(ip)
};

ConnectionGate::ConnectionGate(GateOptions options)
    : options_(options),
      stripe_capacity_(static_cast<size_t>(std::max(1, options_.max_keys / kStripes))),
      stripes_(std::make_unique<Stripe[]>(kStripes)) {}

ConnectionGate::~ConnectionGate() = default;

bool ConnectionGate::Exempt(std::string_view ip) const {
  return ip.empty() || (options_.exempt_loopback && IsLoopback(ip));
}

Admission ConnectionGate::Admit(std::string_view ip) {
  return Admit(ip, std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count());
}

Admission ConnectionGate::Admit(std::string_view ip, int64_t now_ms) {
  if (Exempt(ip)) return {};
  const uint64_t h = Fnv1a(ip);
  Stripe& s = stripes_[h % kStripes];
  std::lock_guard lock(s.mu);
  auto it = s.map.find(h);
  if (it == s.map.end()) {
    if (s.map.size() >= stripe_capacity_) {
      std::erase_if(s.map, [&](const auto& kv) {
        return kv.second.open == 0 && (!options_.new_per_ip.enabled() ||
                                       kv.second.bucket.IdleAt(options_.new_per_ip, now_ms));
      });
    }
    it = s.map.emplace(h, Stripe::Entry{}).first;
    if (s.map.size() > stripe_capacity_) overflowed_.fetch_add(1, std::memory_order_relaxed);
  }
  Stripe::Entry& e = it->second;
  if (options_.max_per_ip > 0 && e.open >= options_.max_per_ip) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return {ErrorCode::kIpConnectionLimit, 0};
  }
  if (options_.new_per_ip.enabled()) {
    if (int64_t wait = e.bucket.Take(options_.new_per_ip, now_ms); wait > 0) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      if (e.open == 0 && s.map.size() > stripe_capacity_) s.map.erase(it);
      return {ErrorCode::kRateLimited, wait};
    }
  }
  ++e.open;
  return {};
}

void ConnectionGate::Release(std::string_view ip) {
  if (Exempt(ip)) return;
  const uint64_t h = Fnv1a(ip);
  Stripe& s = stripes_[h % kStripes];
  std::lock_guard lock(s.mu);
  auto it = s.map.find(h);
  if (it == s.map.end() || it->second.open == 0) return;
  --it->second.open;
  // Over capacity (the overflow case): forget a closed address at once.
  if (it->second.open == 0 && s.map.size() > stripe_capacity_) s.map.erase(it);
}

int ConnectionGate::open_from(std::string_view ip) const {
  const uint64_t h = Fnv1a(ip);
  const Stripe& s = stripes_[h % kStripes];
  std::lock_guard lock(s.mu);
  auto it = s.map.find(h);
  return it == s.map.end() ? 0 : it->second.open;
}

}  // namespace parley::guard
