// match: --clients clients on the random-chat socket, all searching in a closed loop
// (search -> matched -> end_chat -> search again), so the matchmaker always has work.
// Reports matches/s, the latency from a search to its `matched`, and the server CPU per
// match. See match_worker.h for how each chat's ender is chosen. --expiry-probes checks,
// meanwhile, that waiting HTTP users expire exactly on time (expiry_probe.h).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "../expiry_probe.h"
#include "../match_worker.h"
#include "common.h"
#include "scenarios.h"

namespace parley::bench {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

}  // namespace

Result RunMatch(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  const int threads = std::max(1, o.threads);
  // Every thread holds whole pairs, so each can learn its clients' ids on its own.
  const int pairs_per_thread = std::max(1, o.clients / 2 / threads);
  const int clients = 2 * pairs_per_thread * threads;
  r.params.emplace_back("clients", std::to_string(clients));

  const sockaddr_in server = ServerAddress(o);
  MatchSetup setup;
  PhaseControl control;
  std::vector<std::unique_ptr<MatchWorker>> workers;
  for (int t = 0; t < threads; ++t) {
    std::vector<uint32_t> sources;
    for (int i = 0; i < 2 * pairs_per_thread; ++i) {
      sources.push_back(SourceAddress(o, static_cast<uint64_t>(t) * 2 * pairs_per_thread + i));
    }
    workers.push_back(
        std::make_unique<MatchWorker>(o, server, std::move(sources), &setup, &control));
  }
  std::vector<std::thread> running;
  for (auto& w : workers) running.emplace_back([&w] { w->Run(); });
  const auto sum = [&workers](auto f) {
    uint64_t n = 0;
    for (auto& w : workers) n += f(*w);
    return n;
  };

  // Connecting, then learning the ids one pair at a time (about four round trips a pair).
  const int64_t setup_start = NowNs();
  const int64_t setup_deadline =
      setup_start + static_cast<int64_t>((o.connect_timeout + 30 + clients / 500.0) * kSecond);
  while (NowNs() < setup_deadline &&
         sum([](auto& w) { return w.ready.load(std::memory_order_acquire); }) < workers.size()) {
    SleepUntil(NowNs() + 20'000'000);
  }
  const uint64_t authed = sum([](auto& w) { return w.authed.load(); });
  const uint64_t known = sum([](auto& w) { return w.known.load(); });
  r.connections = authed;
  r.params.emplace_back("ids_learnt", std::to_string(known));
  std::fprintf(
      stderr, "parley-bench: %llu of %d clients authenticated, %llu know their id, in %.2f s\n",
      static_cast<unsigned long long>(authed), clients, static_cast<unsigned long long>(known),
      static_cast<double>(NowNs() - setup_start) / kSecond);

  PhaseCommand cmd;
  cmd.start_ns = NowNs() + 100'000'000;
  cmd.window_start_ns = cmd.start_ns + static_cast<int64_t>(o.warmup * kSecond);
  cmd.window_end_ns = cmd.window_start_ns + static_cast<int64_t>(o.duration * kSecond);
  control.command = cmd;
  control.generation.store(1, std::memory_order_release);
  WindowSampler sampler(o);
  SleepUntil(cmd.window_start_ns);
  sampler.Begin();
  std::thread probes;
  ExpiryProbeResult expiry;
  if (o.expiry_probe_ttl_s > 0 && o.expiry_probe_ttl_s + 1 <= o.duration) {
    probes = std::thread([&] { expiry = RunExpiryProbes(o, o.expiry_probe_ttl_s); });
  } else if (o.expiry_probe_ttl_s > 0) {
    std::fprintf(stderr, "parley-bench: no expiry probes: --duration must exceed ttl + 1 s\n");
  }
  SleepUntil(cmd.window_end_ns);
  sampler.End();
  if (probes.joinable()) {
    probes.join();
    r.expiry_correct = expiry.correct;
    r.expiry_wrong = expiry.wrong;
    r.expiry_inconclusive = expiry.inconclusive;
    r.expiry_detail = std::move(expiry.detail);
  }
  // Chats under way at the end finish; searches still waiting stay unanswered.
  const int64_t drain_end = cmd.window_end_ns + 2 * kSecond;
  while (NowNs() < drain_end && sum([](auto& w) { return w.busy.load(); }) > 0) {
    SleepUntil(NowNs() + 10'000'000);
  }
  control.end_generation.store(1, std::memory_order_release);
  const int64_t report_deadline = NowNs() + 5 * kSecond;
  while (NowNs() < report_deadline &&
         sum([](auto& w) { return w.reported.load(std::memory_order_acquire); }) < workers.size()) {
    SleepUntil(NowNs() + 1'000'000);
  }
  control.exit.store(true, std::memory_order_release);
  for (auto& t : running) t.join();
  Tally total;
  for (auto& w : workers) total.Merge(w->TakeResult());
  const uint64_t searching = sum([](auto& w) { return w.searching.load(); });

  r.params.emplace_back("searching_at_end", std::to_string(searching));
  r.duration_s = o.duration;
  r.sent = total.searches;
  r.matches = total.matched_in_window / 2;
  r.matches_per_s = static_cast<double>(*r.matches) / o.duration;
  r.latency = LatencySummary::Of(total.latency);
  r.connect_errors = total.connect_errors;
  r.closed_by_server = total.closed_by_server;
  r.error_frames = total.error_frames;
  r.send_skipped = total.send_skipped;
  r.server_cpu_s = sampler.server_cpu_s();
  r.server_rss_kb = sampler.server_rss_kb();
  r.generator_cpu_s = sampler.generator_cpu_s();
  return r;
}

}  // namespace parley::bench
