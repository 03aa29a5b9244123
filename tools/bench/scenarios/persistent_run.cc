#include "persistent_run.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "../loop.h"
#include "../proc_sampler.h"
#include "common.h"

namespace parley::bench {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

struct Workers {
  PhaseControl control;
  std::vector<std::unique_ptr<MemberWorker>> workers;
  std::vector<std::thread> threads;

  uint64_t Joined() const {
    uint64_t n = 0;
    for (auto& w : workers) n += w->joined.load(std::memory_order_relaxed);
    return n;
  }
  bool AllConnectDone() const {
    for (auto& w : workers) {
      if (!w->connect_done.load(std::memory_order_acquire)) return false;
    }
    return true;
  }
  void Stop() {
    control.exit.store(true, std::memory_order_release);
    for (auto& t : threads) t.join();
    threads.clear();
  }
};

// Waits until every worker has counted phase `g` and the deliveries reach `recipients` per
// message sent, or `deadline_ns`.
void Drain(Workers& w, uint32_t g, uint64_t recipients, int64_t deadline_ns) {
  while (NowNs() < deadline_ns) {
    uint64_t sent = 0, delivered = 0;
    bool current = true;
    for (auto& worker : w.workers) {
      current &= worker->phase_seen.load(std::memory_order_acquire) == g;
      sent += worker->phase_sent.load(std::memory_order_relaxed);
      delivered += worker->phase_deliveries.load(std::memory_order_relaxed);
    }
    if (current && delivered >= sent * recipients) return;
    SleepUntil(NowNs() + 10'000'000);
  }
}

Tally CollectPhase(Workers& w, uint32_t g) {
  w.control.end_generation.store(g, std::memory_order_release);
  Tally merged;
  for (auto& worker : w.workers) {
    while (worker->phase_reported.load(std::memory_order_acquire) < g) {
      SleepUntil(NowNs() + 1'000'000);
    }
    merged.Merge(worker->TakePhaseResult());
  }
  return merged;
}

}  // namespace

void RunPersistent(const Options& o, PersistentPlan plan, Result* r) {
  const sockaddr_in server = ServerAddress(o);
  const int threads = std::max(1, o.threads);
  std::vector<std::vector<MemberSpec>> shares(threads);
  for (size_t i = 0; i < plan.members.size(); ++i) {
    shares[i % threads].push_back(std::move(plan.members[i]));
  }
  const uint64_t total_members = plan.members.size();
  if (o.server_pid > 0) {
    if (auto s = SampleProcess(o.server_pid)) r->server_rss_before_kb = s->rss_kb;
  }

  Workers w;
  for (int t = 0; t < threads; ++t) {
    w.workers.push_back(
        std::make_unique<MemberWorker>(o, server, std::move(shares[t]), &w.control));
  }
  for (auto& worker : w.workers) w.threads.emplace_back([&worker] { worker->Run(); });

  const int64_t connect_start = NowNs();
  const int64_t connect_deadline =
      connect_start + static_cast<int64_t>((o.connect_timeout + 5) * kSecond);
  while (!w.AllConnectDone() && NowNs() < connect_deadline) SleepUntil(NowNs() + 20'000'000);
  const uint64_t joined = w.Joined();
  r->connections = joined;
  std::fprintf(stderr, "parley-bench: %llu of %llu connections joined in %.2f s\n",
               static_cast<unsigned long long>(joined),
               static_cast<unsigned long long>(total_members),
               static_cast<double>(NowNs() - connect_start) / kSecond);

  Tally total;
  if (joined == 0) {
    // Nothing to measure; the connect errors say why.
  } else if (plan.idle) {
    // Let the server settle the joins, then hold the connections for the window.
    const int64_t window_start = NowNs() + static_cast<int64_t>(o.warmup * kSecond);
    SleepUntil(window_start);
    WindowSampler sampler(o);
    sampler.Begin();
    SleepUntil(window_start + static_cast<int64_t>(o.duration * kSecond));
    sampler.End();
    r->duration_s = o.duration;
    r->server_cpu_s = sampler.server_cpu_s();
    r->server_rss_kb = sampler.server_rss_kb();
    r->generator_cpu_s = sampler.generator_cpu_s();
    if (r->server_rss_kb && r->server_rss_before_kb && joined > 0) {
      r->rss_per_connection_bytes =
          static_cast<double>(*r->server_rss_kb - *r->server_rss_before_kb) * 1024.0 /
          static_cast<double>(joined);
    }
  } else {
    const uint64_t recipients = plan.recipients(joined);
    double rate = o.rate;
    uint64_t expected_all = 0;
    Tally latest_maps;
    const int steps = o.step_up ? std::max(1, o.max_steps) : 1;
    for (int step = 0; step < steps; ++step) {
      const uint32_t g = static_cast<uint32_t>(step + 1);
      PhaseCommand cmd;
      cmd.interval_ns = rate > 0 && plan.senders > 0 ? plan.senders * 1e9 / rate : 0;
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
      Drain(w, g, recipients, cmd.window_end_ns + 5 * kSecond);
      Tally t = CollectPhase(w, g);
      // Per-sender maps are totals since the start of the run: keep only the latest.
      latest_maps.sample_received = std::move(t.sample_received);
      latest_maps.sample_receivers = std::move(t.sample_receivers);
      latest_maps.sent_by_sender = std::move(t.sent_by_sender);
      t.sample_received.clear();
      t.sample_receivers.clear();
      t.sent_by_sender.clear();

      StepResult s;
      s.rate = rate;
      s.duration_s = o.duration;
      s.sent = t.sent_in_window;
      s.deliveries = t.deliveries_in_window;
      s.expected_deliveries = t.sent_in_window * recipients;
      s.deliveries_per_s = static_cast<double>(t.deliveries_in_window) / o.duration;
      s.latency = LatencySummary::Of(t.latency);
      const uint64_t expected_phase = t.sent * recipients;
      s.drops = expected_phase > t.deliveries ? expected_phase - t.deliveries : 0;
      s.server_cpu_s = sampler.server_cpu_s();
      s.generator_cpu_s = sampler.generator_cpu_s();
      s.sustained = s.latency.p99 <= static_cast<uint64_t>(o.step_p99_ms * 1000) &&
                    static_cast<double>(s.deliveries) >=
                        o.step_min_ratio * static_cast<double>(s.expected_deliveries);
      expected_all += expected_phase;
      total.Merge(t);

      // The window numbers of the run: the last step, or for step-up the highest
      // sustained one (the first if none was).
      const bool take = !o.step_up || r->steps.empty() || s.sustained;
      if (take) {
        r->duration_s = o.duration;
        r->sent = s.sent;
        r->deliveries = s.deliveries;
        r->expected_deliveries = s.expected_deliveries;
        r->deliveries_per_s = s.deliveries_per_s;
        r->latency = s.latency;
        r->server_cpu_s = s.server_cpu_s;
        r->server_rss_kb = sampler.server_rss_kb();
        r->generator_cpu_s = s.generator_cpu_s;
      }
      if (o.step_up) {
        std::fprintf(
            stderr, "parley-bench: step %d rate %.0f/s -> %.0f deliveries/s p99 %llu us%s\n",
            step + 1, rate, s.deliveries_per_s, static_cast<unsigned long long>(s.latency.p99),
            s.sustained ? "" : " (not sustained)");
        if (s.sustained) {
          r->best_deliveries_per_s =
              std::max(r->best_deliveries_per_s.value_or(0), s.deliveries_per_s);
        }
      }
      r->steps.push_back(s);
      if (o.step_up && !s.sustained) break;
      rate *= 1.5;
    }
    if (!o.step_up) r->steps.clear();
    const uint64_t delivered_all = total.deliveries;
    const uint64_t count_drops = expected_all > delivered_all ? expected_all - delivered_all : 0;
    r->drops = std::max(count_drops, latest_maps.SampleDrops());
    r->reorders = total.reorders;
    r->closed_by_server = total.closed_by_server;
    r->error_frames = total.error_frames;
    r->send_skipped = total.send_skipped;
  }
  w.Stop();
  for (auto& worker : w.workers) {
    r->connect_errors += worker->connect_tally().connect_errors;
    r->closed_by_server += worker->connect_tally().closed_by_server;
  }
}

}  // namespace parley::bench
