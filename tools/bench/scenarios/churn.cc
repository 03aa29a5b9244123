// connect and join: connection churn. connect keeps --concurrency upgrades in flight and
// reports upgrades/s; join first posts --history messages into a room, then joins it at
// --rate joins/s (open loop) and reports joins/s and the latency from each join's
// scheduled start to its presence snapshot.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "../churn_worker.h"
#include "../gen_message.h"
#include "common.h"
#include "scenarios.h"

namespace parley::bench {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

// Runs one ChurnPlan per thread over a shared window and fills the result.
void RunChurn(const Options& o, ChurnPlan base, const std::vector<int>& slots, Result* r) {
  const sockaddr_in server = ServerAddress(o);
  const int threads = static_cast<int>(slots.size());
  base.start_ns = NowNs() + 100'000'000;
  base.window_start_ns = base.start_ns + static_cast<int64_t>(o.warmup * kSecond);
  base.window_end_ns = base.window_start_ns + static_cast<int64_t>(o.duration * kSecond);
  base.drain_end_ns = base.window_end_ns + 5 * kSecond;
  std::vector<std::unique_ptr<ChurnWorker>> workers;
  for (int t = 0; t < threads; ++t) {
    ChurnPlan plan = base;
    plan.slots = slots[t];
    plan.thread_index = t;
    // Threads start their schedules staggered, so joins stay evenly spaced overall.
    plan.start_ns += static_cast<int64_t>(base.interval_ns * t / threads);
    workers.push_back(std::make_unique<ChurnWorker>(o, server, plan));
  }
  std::vector<std::thread> running;
  for (auto& w : workers) running.emplace_back([&w] { w->Run(); });
  WindowSampler sampler(o);
  SleepUntil(base.window_start_ns);
  sampler.Begin();
  SleepUntil(base.window_end_ns);
  sampler.End();
  for (auto& t : running) t.join();
  Tally total;
  for (auto& w : workers) total.Merge(w->tally());
  r->duration_s = o.duration;
  r->latency = LatencySummary::Of(total.latency);
  r->connect_errors = total.connect_errors;
  r->closed_by_server = total.closed_by_server;
  r->error_frames = total.error_frames;
  r->server_cpu_s = sampler.server_cpu_s();
  r->server_rss_kb = sampler.server_rss_kb();
  r->generator_cpu_s = sampler.generator_cpu_s();
  if (base.join) {
    r->joins_per_s = static_cast<double>(total.joins) / o.duration;
    r->params.emplace_back("joins_behind", std::to_string(total.join_behind));
  } else {
    r->upgrades_per_s = static_cast<double>(total.upgrades) / o.duration;
  }
}

// Posts `count` messages into `room` over one connection and waits until the server has
// echoed them all (so they are in the room's history). Returns the number echoed.
class Poster final : public ConnObserver {
 public:
  void OnJoined(WsClientConn& c, int64_t now_ns) override { joined_ = true; }
  void OnClosed(WsClientConn& c, bool joined, bool by_server) override { closed_ = true; }

  uint64_t Post(const Options& o, const std::string& room, int count) {
    Loop loop;
    Tally tally;
    ConnContext ctx;
    ctx.loop = &loop;
    ctx.protocol = o.protocol;
    ctx.server = ServerAddress(o);
    ctx.host_header = o.host + ":" + std::to_string(o.port);
    ctx.tally = &tally;
    WsClientConn conn(&ctx, this, 0);
    conn.Start(SourceAddress(o, 0), JoinPath(o, "history-poster", room));
    const int64_t deadline = NowNs() + 20 * kSecond;
    int posted = 0;
    std::string text, frame;
    while (NowNs() < deadline && !closed_ && tally.deliveries < static_cast<uint64_t>(count)) {
      loop.RunOnce(0, 5);
      while (joined_ && !closed_ && posted < count) {
        FormatGenMessage({static_cast<uint64_t>(NowNs()), 0, static_cast<uint64_t>(posted)}, o.size,
                         &text);
        if (o.protocol == Protocol::kSocketIo) {
          frame = "42[\"message\",\"" + text + "\"]";
          conn.SendText(frame);
        } else {
          conn.SendText(text);
        }
        ++posted;
      }
    }
    conn.Close();
    return tally.deliveries;
  }

 private:
  bool joined_ = false;
  bool closed_ = false;
};

std::vector<int> Split(int total, int threads) {
  std::vector<int> parts(threads, total / threads);
  for (int i = 0; i < total % threads; ++i) ++parts[i];
  return parts;
}

}  // namespace

Result RunConnect(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  r.params.emplace_back("concurrency", std::to_string(o.concurrency));
  const int concurrency = std::max(1, o.concurrency);
  const int threads = std::clamp(o.threads, 1, concurrency);
  ChurnPlan plan;
  plan.join = false;
  plan.room = RunRoomBase(o);
  RunChurn(o, plan, Split(concurrency, threads), &r);
  return r;
}

Result RunJoin(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  r.params.emplace_back("rate", JsonNumber(o.rate));
  r.params.emplace_back("history", std::to_string(o.history));
  r.params.emplace_back("size", std::to_string(o.size));
  const int threads = std::max(1, o.threads);
  ChurnPlan plan;
  plan.join = true;
  plan.room = RunRoomBase(o);
  if (o.history > 0) {
    Poster poster;
    const uint64_t echoed = poster.Post(o, plan.room, o.history);
    r.params.emplace_back("history_posted", std::to_string(echoed));
    if (echoed < static_cast<uint64_t>(o.history)) {
      std::fprintf(stderr, "parley-bench: only %llu of %d history messages were echoed\n",
                   static_cast<unsigned long long>(echoed), o.history);
    }
  }
  const double rate = std::max(0.001, o.rate);
  plan.interval_ns = threads * 1e9 / rate;
  // In flight at once: enough for a second of joins, within the file limit.
  const int cap = static_cast<int>(std::clamp(rate, 64.0, 8000.0));
  RunChurn(o, plan, Split(cap, threads), &r);
  return r;
}

}  // namespace parley::bench
