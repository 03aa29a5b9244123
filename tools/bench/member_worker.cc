#include "member_worker.h"

#include <algorithm>
#include <random>

#include "gen_message.h"

namespace parley::bench {
namespace {

constexpr auto kLater = [](const std::pair<int64_t, uint32_t>& a,
                           const std::pair<int64_t, uint32_t>& b) { return a.first > b.first; };

}  // namespace

MemberWorker::MemberWorker(const Options& options, const sockaddr_in& server,
                           std::vector<MemberSpec> specs, PhaseControl* control)
    : options_(options),
      control_(control),
      loop_(options.bulk_interval_us),
      specs_(std::move(specs)) {
  ctx_.loop = &loop_;
  ctx_.protocol = options.protocol;
  ctx_.server = server;
  ctx_.host_header = options.host + ":" + std::to_string(options.port);
  ctx_.tally = &connect_tally_;
  conns_.reserve(specs_.size());
  for (size_t i = 0; i < specs_.size(); ++i) {
    conns_.push_back(std::make_unique<WsClientConn>(&ctx_, this, static_cast<uint32_t>(i)));
    if (specs_[i].sampled) conns_.back()->EnableSampling();
    // Senders write on their schedule; only their reading is batched.
    conns_.back()->SetBulk(!specs_[i].sampled);
    if (specs_[i].sender_id >= 0) {
      senders_.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(specs_[i].sender_id)});
    }
  }
}

MemberWorker::~MemberWorker() = default;

void MemberWorker::OnJoined(WsClientConn& c, int64_t now_ns) {
  --in_flight_;
  ++settled_;
  joined.fetch_add(1, std::memory_order_relaxed);
}

void MemberWorker::OnClosed(WsClientConn& c, bool was_joined, bool by_server) {
  if (was_joined) return;  // counted as closed_by_server by the connection
  --in_flight_;
  ++settled_;
}

void MemberWorker::PaceConnects(int64_t now) {
  const size_t parallel =
      std::max<size_t>(1, static_cast<size_t>(options_.connect_parallel / options_.threads));
  while (in_flight_ < parallel && next_to_start_ < specs_.size()) {
    const MemberSpec& spec = specs_[next_to_start_];
    ++in_flight_;
    conns_[next_to_start_++]->Start(spec.source_addr, spec.path);
    std::string().swap(specs_[next_to_start_ - 1].path);
  }
  const bool all_settled = settled_ == specs_.size();
  if (!connect_done.load(std::memory_order_relaxed) &&
      (all_settled || now > connect_deadline_ns_)) {
    if (!all_settled) {
      // Whatever is still handshaking now failed.
      for (auto& c : conns_) {
        if (!c->joined() && c->state() != WsClientConn::State::kClosed &&
            c->state() != WsClientConn::State::kIdle) {
          c->Close();
          ++connect_tally_.connect_errors;
        }
      }
      connect_tally_.connect_errors += specs_.size() - next_to_start_;
      next_to_start_ = specs_.size();
    }
    connect_done.store(true, std::memory_order_release);
  }
}

void MemberWorker::BeginPhase(uint32_t generation) {
  generation_ = generation;
  phase_ = control_->command;
  tally_ = Tally();
  ctx_.tally = &tally_;
  ctx_.window_start_ns = phase_.window_start_ns;
  ctx_.window_end_ns = phase_.window_end_ns;
  schedule_.clear();
  if (phase_.interval_ns > 0) {
    std::mt19937_64 rng(generation * 7919 + senders_.size());
    std::uniform_real_distribution<double> phase_offset(0, phase_.interval_ns);
    for (uint32_t i = 0; i < senders_.size(); ++i) {
      schedule_.emplace_back(phase_.start_ns + static_cast<int64_t>(phase_offset(rng)), i);
    }
    std::make_heap(schedule_.begin(), schedule_.end(), kLater);
  }
  phase_seen.store(generation, std::memory_order_release);
}

void MemberWorker::SendDue(int64_t now) {
  const bool socketio = options_.protocol == Protocol::kSocketIo;
  std::string frame_text;
  while (!schedule_.empty() && schedule_.front().first <= now) {
    std::pop_heap(schedule_.begin(), schedule_.end(), kLater);
    auto [when, index] = schedule_.back();
    schedule_.pop_back();
    if (when >= phase_.window_end_ns) continue;  // this sender is done for the phase
    Sender& s = senders_[index];
    GenMessage m{static_cast<uint64_t>(when), s.id, s.seq};
    FormatGenMessage(m, options_.size, &text_);
    std::string_view payload = text_;
    if (socketio) {
      frame_text = "42[\"message\",\"" + text_ + "\"]";
      payload = frame_text;
    }
    if (conns_[s.conn]->SendText(payload)) {
      ++s.seq;
      ++s.sent;
      ++tally_.sent;
      if (when >= phase_.window_start_ns) ++tally_.sent_in_window;
    }
    schedule_.emplace_back(when + static_cast<int64_t>(phase_.interval_ns), index);
    std::push_heap(schedule_.begin(), schedule_.end(), kLater);
  }
}

void MemberWorker::Report(uint32_t generation) {
  // Totals since the start of the run, so the last phase's maps cover everything.
  for (const Sender& s : senders_) tally_.sent_by_sender[s.id] += s.sent;
  for (const auto& c : conns_) {
    if (c->tracks() == nullptr) continue;
    for (const auto& [sender, track] : *c->tracks()) {
      tally_.sample_received[sender] += track.received;
      tally_.sample_receivers[sender] += 1;
    }
  }
  result_ = std::move(tally_);
  tally_ = Tally();
  phase_reported.store(generation, std::memory_order_release);
}

void MemberWorker::Run() {
  if (!loop_.ok()) {
    connect_tally_.connect_errors += specs_.size();
    connect_done.store(true, std::memory_order_release);
    return;
  }
  connect_deadline_ns_ = NowNs() + static_cast<int64_t>(options_.connect_timeout * 1e9);
  while (!control_->exit.load(std::memory_order_acquire)) {
    const int64_t wake = schedule_.empty() ? 0 : schedule_.front().first;
    loop_.RunOnce(wake, 5);
    const int64_t now = NowNs();
    if (!connect_done.load(std::memory_order_relaxed)) PaceConnects(now);
    const uint32_t generation = control_->generation.load(std::memory_order_acquire);
    if (generation != generation_) BeginPhase(generation);
    if (!schedule_.empty()) SendDue(now);
    if (generation_ > 0) {
      phase_sent.store(tally_.sent, std::memory_order_relaxed);
      phase_deliveries.store(tally_.deliveries, std::memory_order_relaxed);
      if (control_->end_generation.load(std::memory_order_acquire) >= generation_ &&
          phase_reported.load(std::memory_order_relaxed) != generation_) {
        Report(generation_);
      }
    }
  }
  for (auto& c : conns_) c->Close();
}

}  // namespace parley::bench
