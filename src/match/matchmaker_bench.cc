// Matches per second of the Matchmaker alone: what one matchmaker actor can do when the
// sockets cost nothing. Each iteration is one match between two socket users (the first
// waits, the second is paired with it), with filters drawn from `filter_values` values per
// filter (0 = emotion and language left open), while `waiting` users of another mode stay
// in the queue.
//
//   cmake --build BUILD --target parley_matchmaker_bench
//   BUILD/src/match/parley_matchmaker_bench
//
// Use a Release build: sanitizers and Debug distort the numbers.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "match/matchmaker.h"

namespace parley::match {
namespace {

void BM_SocketMatch(benchmark::State& state) {
  const int64_t values = state.range(0);
  const int64_t waiting = state.range(1);
  int64_t matched = 0;
  Matchmaker mm(MatchmakerOptions{.ttl_ms = 30000, .max_queue = 1 << 22},
                [&](const Seeker&, const Pairing&) { ++matched; });
  // Bystanders: a mode no requester asks for, so they wait all along and every lookup has
  // to pass over their index keys.
  for (int64_t i = 0; i < waiting; ++i) {
    mm.Request(Seeker{.user_id = "w-" + std::to_string(i),
                      .user_name = "w",
                      .filters = {.mode = "bystander"},
                      .endpoint = {.shard = 0, .conn = static_cast<uint64_t>(i)}},
               0);
  }
  const std::vector<std::string> emotions = {"😊", "😢", "😡", "😍", "🤔", "😴", "🥳", "😎"};
  const std::vector<std::string> languages = {"English", "Hindi", "Spanish", "French",
                                              "German",  "Tamil", "Bengali", "Arabic"};
  std::vector<Seeker> seekers;
  for (int i = 0; i < 4096; ++i) {
    Filters f{.mode = "text"};
    if (values > 0) {
      f.emotion = emotions[(i / 2) % values];
      f.language = languages[(i / 2 / values) % values];
    }
    seekers.push_back(Seeker{.user_id = "u-" + std::to_string(i),
                             .user_name = "user",
                             .device_id = "d-" + std::to_string(i),
                             .filters = f,
                             .endpoint = {.shard = i % 2, .conn = static_cast<uint64_t>(i)}});
  }
  size_t next = 0;
  int64_t now = 1;
  for (auto _ : state) {
    // Two consecutive seekers share their filters: the first waits, the second matches.
    const Seeker& a = seekers[next];
    const Seeker& b = seekers[next + 1];
    next = (next + 2) % seekers.size();
    benchmark::DoNotOptimize(mm.Request(a, now));
    Outcome o = mm.Request(b, now);
    benchmark::DoNotOptimize(o);
    if (o.kind != Outcome::Kind::kMatched) state.SkipWithError("no match");
    ++now;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["matches/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  benchmark::DoNotOptimize(matched);
}
BENCHMARK(BM_SocketMatch)->ArgsProduct({{0, 4, 8}, {0, 10000}});

}  // namespace
}  // namespace parley::match

BENCHMARK_MAIN();
