// What a rate check costs on the per-message path: the connection bucket alone, and with
// the shared user and IP buckets, from 1 and 2 threads (two shards meeting on the table).
#include <benchmark/benchmark.h>

#include <string>

#include "guard/rate_limiter.h"

namespace parley::guard {
namespace {

RateLimiter& Limiter() {
  static RateLimiter* limiter = [] {
    RateOptions o;
    o.rules[static_cast<int>(Action::kMessage)] = {.per_s = 1'000'000'000, .burst = 1'000'000'000};
    o.exempt_loopback = false;
    return new RateLimiter(o);
  }();
  return *limiter;
}

void BM_ConnectionOnly(benchmark::State& state) {
  ConnectionBuckets buckets;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Limiter().Take(Action::kMessage, {.connection = &buckets}));
  }
}
BENCHMARK(BM_ConnectionOnly)->Threads(1)->Threads(2);

void BM_ConnectionUserIp(benchmark::State& state) {
  ConnectionBuckets buckets;
  const std::string user = "user" + std::to_string(state.thread_index());
  const std::string ip = "203.0.113." + std::to_string(state.thread_index());
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        Limiter().Take(Action::kMessage, {.connection = &buckets, .user = user, .ip = ip}));
  }
}
BENCHMARK(BM_ConnectionUserIp)->Threads(1)->Threads(2);

// Both threads on the same user and address: the worst case, one stripe contended.
void BM_SameUserContended(benchmark::State& state) {
  ConnectionBuckets buckets;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Limiter().Take(
        Action::kMessage, {.connection = &buckets, .user = "same", .ip = "203.0.113.1"}));
  }
}
BENCHMARK(BM_SameUserContended)->Threads(1)->Threads(2);

}  // namespace
}  // namespace parley::guard

BENCHMARK_MAIN();
