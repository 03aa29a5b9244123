#include "churn_worker.h"

#include <fmt/format.h>

#include <algorithm>

#include "scenarios/common.h"

namespace parley::bench {
namespace {

constexpr int64_t kHandshakeTimeoutNs = 10'000'000'000;
constexpr int64_t kCloseTimeoutNs = 2'000'000'000;

}  // namespace

ChurnWorker::ChurnWorker(const Options& options, const sockaddr_in& server, ChurnPlan plan)
    : options_(options), plan_(std::move(plan)) {
  ctx_.loop = &loop_;
  ctx_.protocol = options.protocol;
  ctx_.server = server;
  ctx_.host_header = options.host + ":" + std::to_string(options.port);
  ctx_.tally = &tally_;
  ctx_.window_start_ns = plan_.window_start_ns;
  ctx_.window_end_ns = plan_.window_end_ns;
  slots_.resize(std::max(1, plan_.slots));
  for (size_t i = slots_.size(); i-- > 0;) free_.push_back(i);
  next_join_ns_ = plan_.start_ns;
}

ChurnWorker::~ChurnWorker() = default;

void ChurnWorker::StartSlot(size_t index, int64_t scheduled_ns) {
  Slot& s = slots_[index];
  s.conn = std::make_unique<WsClientConn>(&ctx_, this, static_cast<uint32_t>(index));
  s.scheduled_ns = scheduled_ns;
  s.closing_since = 0;
  s.busy = true;
  ++live_;
  const uint64_t n = started_++;
  const std::string user = fmt::format("b{}_{}", plan_.thread_index, n);
  const std::string room =
      plan_.join ? plan_.room : fmt::format("{}-{}-{}", plan_.room, plan_.thread_index, index);
  const uint64_t source_index = n * static_cast<uint64_t>(std::max(1, options_.threads)) +
                                static_cast<uint64_t>(plan_.thread_index);
  s.conn->Start(SourceAddress(options_, source_index), JoinPath(options_, user, room));
}

void ChurnWorker::Finish(WsClientConn& c, int64_t now_ns) {
  Slot& s = slots_[c.id()];
  s.closing_since = now_ns;
  c.CloseGracefully();
}

void ChurnWorker::OnFirstFrame(WsClientConn& c, int64_t now_ns) {
  if (plan_.join) return;
  const Slot& s = slots_[c.id()];
  if (now_ns >= plan_.window_start_ns && now_ns < plan_.window_end_ns) ++tally_.upgrades;
  if (s.scheduled_ns >= plan_.window_start_ns && s.scheduled_ns < plan_.window_end_ns) {
    tally_.latency.Record(static_cast<uint64_t>((now_ns - s.scheduled_ns) / 1000));
  }
  Finish(c, now_ns);
}

void ChurnWorker::OnJoined(WsClientConn& c, int64_t now_ns) {
  if (!plan_.join) return;
  const Slot& s = slots_[c.id()];
  if (now_ns >= plan_.window_start_ns && now_ns < plan_.window_end_ns) ++tally_.joins;
  if (s.scheduled_ns >= plan_.window_start_ns && s.scheduled_ns < plan_.window_end_ns) {
    tally_.latency.Record(static_cast<uint64_t>((now_ns - s.scheduled_ns) / 1000));
  }
  Finish(c, now_ns);
}

void ChurnWorker::OnClosed(WsClientConn& c, bool joined, bool by_server) {
  finished_.push_back(c.id());
}

void ChurnWorker::Sweep(int64_t now) {
  for (Slot& s : slots_) {
    if (!s.busy || !s.conn || s.conn->state() == WsClientConn::State::kClosed) continue;
    if (s.closing_since > 0) {
      if (now - s.closing_since > kCloseTimeoutNs) s.conn->Close();
    } else if (now - s.conn->start_ns() > kHandshakeTimeoutNs) {
      ++tally_.connect_errors;
      s.conn->Close();
    }
  }
}

void ChurnWorker::Run() {
  if (!loop_.ok()) return;
  int64_t next_sweep = 0;
  while (true) {
    const int64_t wake = plan_.join && next_join_ns_ < plan_.window_end_ns ? next_join_ns_ : 0;
    loop_.RunOnce(wake, 5);
    int64_t now = NowNs();
    for (size_t index : finished_) {
      slots_[index].busy = false;
      slots_[index].conn.reset();
      free_.push_back(index);
      --live_;
    }
    finished_.clear();
    if (now >= plan_.start_ns && now < plan_.window_end_ns) {
      if (plan_.join) {
        while (next_join_ns_ <= now && next_join_ns_ < plan_.window_end_ns) {
          if (free_.empty()) {
            ++tally_.join_behind;
          } else {
            const size_t index = free_.back();
            free_.pop_back();
            StartSlot(index, next_join_ns_);
          }
          next_join_ns_ += static_cast<int64_t>(plan_.interval_ns);
        }
      } else {
        while (!free_.empty()) {
          const size_t index = free_.back();
          free_.pop_back();
          StartSlot(index, NowNs());
        }
      }
    }
    if (now >= next_sweep) {
      Sweep(now);
      next_sweep = now + 100'000'000;
    }
    if (now >= plan_.window_end_ns && (live_ == 0 || now >= plan_.drain_end_ns)) break;
  }
  for (Slot& s : slots_) {
    if (s.conn) s.conn->Close();
  }
}

}  // namespace parley::bench
