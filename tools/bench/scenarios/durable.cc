// durable: --rooms rooms of --room-members members on parley's native protocol; every
// member sends, --rate messages/s in total, each with a clientId. Measures acknowledged
// (durable) messages/s, the latency from the scheduled send to the ack, the delivery of the
// chat frame to every member, and the server CPU per acknowledged message. With --step-up
// the rate grows 1.5x per step until p99 exceeds --step-p99-ms or fewer than 90% of the
// window's messages are acknowledged.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "../durable_worker.h"
#include "common.h"
#include "scenarios.h"

namespace parley::bench {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

struct Workers {
  PhaseControl control;
  std::vector<std::unique_ptr<DurableWorker>> workers;
  std::vector<std::thread> threads;

  template <typename F>
  uint64_t Sum(F f) const {
    uint64_t n = 0;
    for (auto& w : workers) n += f(*w);
    return n;
  }
  // Waits until every worker counted phase `g` and every message sent has its ack and its
  // chat frames, or `deadline_ns`.
  void Drain(uint32_t g, uint64_t members, int64_t deadline_ns) {
    while (NowNs() < deadline_ns) {
      const uint64_t current =
          Sum([g](auto& w) { return w.phase_seen.load(std::memory_order_acquire) == g; });
      const uint64_t sent = Sum([](auto& w) { return w.phase_sent.load(); });
      if (current == workers.size() && Sum([](auto& w) { return w.phase_acks.load(); }) >= sent &&
          Sum([](auto& w) { return w.phase_deliveries.load(); }) >= sent * members) {
        return;
      }
      SleepUntil(NowNs() + 10'000'000);
    }
  }
  Tally Collect(uint32_t g) {
    control.end_generation.store(g, std::memory_order_release);
    Tally merged;
    for (auto& w : workers) {
      while (w->phase_reported.load(std::memory_order_acquire) < g) {
        SleepUntil(NowNs() + 1'000'000);
      }
      merged.Merge(w->TakePhaseResult());
    }
    return merged;
  }
};

}  // namespace

Result RunDurable(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  const int rooms = std::max(1, o.rooms);
  const int per_room = std::max(1, o.room_members);
  r.params.emplace_back("rooms", std::to_string(rooms));
  r.params.emplace_back("room_members", std::to_string(per_room));
  r.params.emplace_back("rate", JsonNumber(o.rate));
  r.params.emplace_back("size", std::to_string(o.size));
  r.params.emplace_back("step_up", o.step_up ? "true" : "false");

  const sockaddr_in server = ServerAddress(o);
  const int threads = std::max(1, o.threads);
  const std::string base = RunRoomBase(o);
  const int members = rooms * per_room;
  std::vector<std::vector<DurableMember>> shares(threads);
  for (int i = 0; i < members; ++i) {
    shares[i % threads].push_back(DurableMember{fmt::format("/v1/ws?username=u{}", i),
                                                fmt::format("{}-{}", base, i / per_room),
                                                SourceAddress(o, i), static_cast<uint32_t>(i)});
  }
  Workers w;
  for (int t = 0; t < threads; ++t) {
    w.workers.push_back(
        std::make_unique<DurableWorker>(o, server, std::move(shares[t]), &w.control));
  }
  for (auto& worker : w.workers) w.threads.emplace_back([&worker] { worker->Run(); });

  const int64_t connect_start = NowNs();
  const int64_t connect_deadline =
      connect_start + static_cast<int64_t>((o.connect_timeout + 5) * kSecond);
  while (NowNs() < connect_deadline && w.Sum([](auto& x) {
    return x.connect_done.load(std::memory_order_acquire);
  }) < w.workers.size()) {
    SleepUntil(NowNs() + 20'000'000);
  }
  const uint64_t joined = w.Sum([](auto& x) { return x.joined.load(); });
  r.connections = joined;
  std::fprintf(stderr, "parley-bench: %llu of %d members joined in %.2f s\n",
               static_cast<unsigned long long>(joined), members,
               static_cast<double>(NowNs() - connect_start) / kSecond);

  Tally total;
  uint64_t missing = 0;  // acks and chat frames that never came
  double rate = o.rate;
  const int steps = joined == 0 ? 0 : o.step_up ? std::max(1, o.max_steps) : 1;
  for (int step = 0; step < steps; ++step) {
    const uint32_t g = static_cast<uint32_t>(step + 1);
    PhaseCommand cmd;
    cmd.interval_ns = rate > 0 ? static_cast<double>(joined) * 1e9 / rate : 0;
    cmd.start_ns = NowNs() + 100'000'000;
    const double warmup = step == 0 ? o.warmup : std::min(o.warmup, 1.0);
    cmd.window_start_ns = cmd.start_ns + static_cast<int64_t>(warmup * kSecond);
    cmd.window_end_ns = cmd.window_start_ns + static_cast<int64_t>(o.duration * kSecond);
    w.control.command = cmd;
    w.control.generation.store(g, std::memory_order_release);

    WindowSampler sampler(o);
    SleepUntil(cmd.window_start_ns);
    sampler.Begin();
    SleepUntil(cmd.window_end_ns);
    sampler.End();
    w.Drain(g, per_room, cmd.window_end_ns + 5 * kSecond);
    Tally t = w.Collect(g);

    StepResult s;
    s.rate = rate;
    s.duration_s = o.duration;
    s.sent = t.sent_in_window;
    s.deliveries = t.deliveries_in_window;
    s.expected_deliveries = t.sent_in_window * per_room;
    s.deliveries_per_s = static_cast<double>(t.deliveries_in_window) / o.duration;
    s.acks = t.acks_in_window;
    s.acks_per_s = static_cast<double>(t.acks_in_window) / o.duration;
    s.latency = LatencySummary::Of(t.latency);
    const uint64_t want = t.sent + t.sent * per_room;
    const uint64_t got = std::min(t.acks, t.sent) + t.deliveries;
    s.drops = want > got ? want - got : 0;
    s.server_cpu_s = sampler.server_cpu_s();
    s.generator_cpu_s = sampler.generator_cpu_s();
    s.sustained = s.latency.p99 <= static_cast<uint64_t>(o.step_p99_ms * 1000) &&
                  static_cast<double>(t.acks_in_window) >=
                      o.step_min_ratio * static_cast<double>(t.sent_in_window);
    missing += s.drops;
    // The run's figures: the last step, or for step-up the highest sustained one (the
    // first if none was).
    if (!o.step_up || r.steps.empty() || s.sustained) {
      r.duration_s = o.duration;
      r.sent = s.sent;
      r.deliveries = s.deliveries;
      r.expected_deliveries = s.expected_deliveries;
      r.deliveries_per_s = s.deliveries_per_s;
      r.acks = s.acks;
      r.acks_per_s = s.acks_per_s;
      r.latency = s.latency;
      r.delivery_latency = LatencySummary::Of(t.delivery_latency);
      r.server_cpu_s = s.server_cpu_s;
      r.server_rss_kb = sampler.server_rss_kb();
      r.generator_cpu_s = s.generator_cpu_s;
    }
    total.Merge(t);
    if (o.step_up) {
      std::fprintf(stderr, "parley-bench: step %d rate %.0f/s -> %.0f acks/s p99 %llu us%s\n",
                   step + 1, rate, *s.acks_per_s, static_cast<unsigned long long>(s.latency.p99),
                   s.sustained ? "" : " (not sustained)");
      if (s.sustained)
        r.best_deliveries_per_s = std::max(r.best_deliveries_per_s.value_or(0), s.deliveries_per_s);
      r.steps.push_back(s);
      if (!s.sustained) break;
    }
    rate *= 1.5;
  }
  r.drops = missing;
  r.reorders = total.reorders;
  r.closed_by_server = total.closed_by_server;
  r.error_frames = total.error_frames;
  r.send_skipped = total.send_skipped;
  w.control.exit.store(true, std::memory_order_release);
  for (auto& t : w.threads) t.join();
  for (auto& worker : w.workers) {
    r.connect_errors += worker->connect_tally().connect_errors;
    r.closed_by_server += worker->connect_tally().closed_by_server;
    r.error_frames += worker->connect_tally().error_frames;
  }
  if (!r.acks) r.acks = 0;
  return r;
}

}  // namespace parley::bench
