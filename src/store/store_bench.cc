// Group-commit throughput of SqliteStore: appends of 128-byte messages, queued as fast as
// one thread can, then Flush(). Args: synchronous (0 = full, 1 = normal), appends per round,
// text (0 = one 128-byte word, 1 = 128 bytes of ordinary words: what the search index pays
// for is tokens, and a chat line has about twenty).
//
//   cmake --build BUILD --target parley_store_bench && BUILD/src/store/parley_store_bench
//
// Use a Release build: sanitizers and Debug distort the numbers. The file lives in $TMPDIR
// (or /tmp), so the numbers describe that filesystem.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "base/log.h"
#include "store/sqlite_store.h"

namespace parley {
namespace {

std::filesystem::path MakeTempDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/parley_bench_XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return {};
  return tmpl;
}

void BM_AppendBatch(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);  // open/migrate lines would bury the table
  const bool normal = state.range(0) == 1;
  const int64_t per_round = state.range(1);
  const bool words = state.range(2) == 1;
  const std::filesystem::path dir = MakeTempDir();
  if (dir.empty()) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  StoreOptions options;
  options.path = (dir / "parley.db").string();
  options.synchronous = normal ? "normal" : "full";
  options.readers = 1;
  auto opened = SqliteStore::Open(options);
  if (!opened.ok()) {
    state.SkipWithError(opened.status().message().c_str());
    return;
  }
  std::unique_ptr<SqliteStore> store = std::move(opened).value();
  std::string text;
  if (words) {
    for (int i = 0; text.size() < 128; ++i) text += "word" + std::to_string(i % 50) + " ";
    text.resize(128);
  } else {
    text.assign(128, 'x');
  }
  std::atomic<int64_t> failures{0};
  int64_t seq = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < per_round; ++i) {
      StoredMessage m;
      m.room = "bench";
      m.seq = ++seq;
      m.id = "bench-" + std::to_string(seq);
      m.username = "alice";
      m.text = text;
      m.timestamp_ms = 1'700'000'000'000 + seq;
      store->Append(std::move(m), [&failures](const Status& s) {
        if (!s.ok()) failures.fetch_add(1, std::memory_order_relaxed);
      });
    }
    store->Flush();
  }
  if (failures.load() != 0) state.SkipWithError("appends failed");
  state.SetItemsProcessed(state.iterations() * per_round);
  state.SetBytesProcessed(state.iterations() * per_round * static_cast<int64_t>(text.size()));
  state.SetLabel(options.synchronous);
  store.reset();  // closes the database before its files are removed
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

BENCHMARK(BM_AppendBatch)
    ->ArgNames({"normal", "appends", "words"})
    ->ArgsProduct({{0, 1}, {1, 128, 4096}, {0}})
    ->Args({0, 128, 1})
    ->Args({1, 4096, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace parley

BENCHMARK_MAIN();
