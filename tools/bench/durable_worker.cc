#include "durable_worker.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "gen_message.h"

namespace parley::bench {
namespace {

constexpr auto kLater = [](const std::pair<int64_t, uint32_t>& a,
                           const std::pair<int64_t, uint32_t>& b) { return a.first > b.first; };
constexpr std::string_view kClientIdKey = "\"clientId\":\"";

bool IsType(std::string_view payload, std::string_view type) {
  constexpr std::string_view kTypeFirst = "{\"type\":\"";
  return payload.starts_with(kTypeFirst) && payload.substr(kTypeFirst.size()).starts_with(type) &&
         payload.size() > kTypeFirst.size() + type.size() &&
         payload[kTypeFirst.size() + type.size()] == '"';
}

}  // namespace

DurableWorker::DurableWorker(const Options& options, const sockaddr_in& server,
                             std::vector<DurableMember> members, PhaseControl* control)
    : options_(options),
      control_(control),
      server_(server),
      host_header_(options.host + ":" + std::to_string(options.port)),
      specs_(std::move(members)),
      members_(specs_.size()) {
  for (size_t i = 0; i < specs_.size(); ++i) {
    members_[i].conn =
        std::make_unique<TextConn>(&loop_, &server_, &host_header_, this, static_cast<uint32_t>(i));
  }
}

DurableWorker::~DurableWorker() = default;

void DurableWorker::OnOpen(TextConn& c, int64_t now_ns) {
  c.SendText(fmt::format(R"({{"type":"join","room":"{}"}})", specs_[c.id()].room));
}

void DurableWorker::OnText(TextConn& c, std::string_view payload, int64_t now) {
  Member& m = members_[c.id()];
  if (IsType(payload, "chat")) return OnChat(payload, now);
  if (IsType(payload, "ack")) return OnAck(m, payload, now);
  if (IsType(payload, "error")) {
    ++current_->error_frames;
    // A join that is refused will not complete: count it now rather than at the deadline.
    if (!m.joined) c.Close();
    return;
  }
  // The presence snapshot ends the join (after `joined` and the history page).
  if (!m.joined && IsType(payload, "presence")) {
    m.joined = true;
    --in_flight_;
    ++settled_;
    joined.fetch_add(1, std::memory_order_relaxed);
  }
}

void DurableWorker::OnClosed(TextConn& c, bool was_open, bool by_server) {
  Member& m = members_[c.id()];
  if (m.joined) {
    if (by_server) ++current_->closed_by_server;
    return;
  }
  ++current_->connect_errors;
  --in_flight_;
  ++settled_;
}

void DurableWorker::OnAck(Member& m, std::string_view payload, int64_t now) {
  Tally& t = *current_;
  ++t.acks;
  const auto id = FindStringField(payload, kClientIdKey);
  const auto g = id ? ParseGenMessage(*id) : std::nullopt;
  if (!g) return;
  const auto send_ns = static_cast<int64_t>(g->send_ns);
  if (send_ns >= phase_.window_start_ns && send_ns < phase_.window_end_ns) {
    ++t.acks_in_window;
    if (now >= send_ns) t.latency.Record(static_cast<uint64_t>((now - send_ns) / 1000));
  }
  // One room per member: its acks come in the order it sent.
  if (g->seq < m.next_ack) {
    ++t.reorders;
  } else {
    m.next_ack = g->seq + 1;
  }
}

void DurableWorker::OnChat(std::string_view payload, int64_t now) {
  Tally& t = *current_;
  ++t.deliveries;
  const auto id = FindStringField(payload, kClientIdKey);
  const auto g = id ? ParseGenMessage(*id) : std::nullopt;
  if (!g) return;
  const auto send_ns = static_cast<int64_t>(g->send_ns);
  if (send_ns >= phase_.window_start_ns && send_ns < phase_.window_end_ns) {
    ++t.deliveries_in_window;
    if (now >= send_ns) t.delivery_latency.Record(static_cast<uint64_t>((now - send_ns) / 1000));
  }
}

void DurableWorker::PaceConnects(int64_t now) {
  const size_t parallel =
      std::max<size_t>(1, static_cast<size_t>(options_.connect_parallel / options_.threads));
  while (in_flight_ < parallel && next_to_start_ < specs_.size()) {
    const DurableMember& spec = specs_[next_to_start_];
    ++in_flight_;
    members_[next_to_start_++].conn->Start(spec.source_addr, spec.path);
  }
  const bool all_settled = settled_ == specs_.size();
  if (!all_settled && now <= connect_deadline_ns_) return;
  if (!all_settled) {
    // Whatever is still connecting or joining now failed.
    for (Member& m : members_) {
      if (!m.joined && !m.conn->closed()) m.conn->Close();
    }
    connect_tally_.connect_errors += specs_.size() - next_to_start_;
    next_to_start_ = specs_.size();
  }
  connect_done.store(true, std::memory_order_release);
}

void DurableWorker::BeginPhase(uint32_t generation) {
  generation_ = generation;
  phase_ = control_->command;
  tally_ = Tally();
  current_ = &tally_;
  schedule_.clear();
  if (phase_.interval_ns > 0) {
    std::mt19937_64 rng(generation * 7919 + specs_.size());
    std::uniform_real_distribution<double> offset(0, phase_.interval_ns);
    for (uint32_t i = 0; i < members_.size(); ++i) {
      if (members_[i].joined) {
        schedule_.emplace_back(phase_.start_ns + static_cast<int64_t>(offset(rng)), i);
      }
    }
    std::make_heap(schedule_.begin(), schedule_.end(), kLater);
  }
  phase_seen.store(generation, std::memory_order_release);
}

void DurableWorker::SendDue(int64_t now) {
  while (!schedule_.empty() && schedule_.front().first <= now) {
    std::pop_heap(schedule_.begin(), schedule_.end(), kLater);
    const auto [when, index] = schedule_.back();
    schedule_.pop_back();
    if (when >= phase_.window_end_ns) continue;  // this member is done for the phase
    Member& m = members_[index];
    const GenMessage g{static_cast<uint64_t>(when), specs_[index].sender_id, m.seq};
    FormatGenMessage(g, options_.size, &text_);
    // The clientId is the message's header alone: the ack echoes only the clientId.
    FormatGenMessage(g, 0, &client_id_);
    frame_.clear();
    fmt::format_to(std::back_inserter(frame_),
                   R"({{"type":"message","room":"{}","text":"{}","clientId":"{}"}})",
                   specs_[index].room, text_, client_id_);
    if (m.conn->SendText(frame_)) {
      ++m.seq;
      ++tally_.sent;
      if (when >= phase_.window_start_ns) ++tally_.sent_in_window;
    } else {
      ++tally_.send_skipped;
    }
    schedule_.emplace_back(when + static_cast<int64_t>(phase_.interval_ns), index);
    std::push_heap(schedule_.begin(), schedule_.end(), kLater);
  }
}

void DurableWorker::Report(uint32_t generation) {
  result_ = std::move(tally_);
  tally_ = Tally();
  phase_reported.store(generation, std::memory_order_release);
}

void DurableWorker::Run() {
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
      phase_acks.store(tally_.acks, std::memory_order_relaxed);
      phase_deliveries.store(tally_.deliveries, std::memory_order_relaxed);
      if (control_->end_generation.load(std::memory_order_acquire) >= generation_ &&
          phase_reported.load(std::memory_order_relaxed) != generation_) {
        Report(generation_);
      }
    }
  }
  for (Member& m : members_) m.conn->Close();
}

}  // namespace parley::bench
