#include "match_worker.h"

#include <algorithm>

#include "gen_message.h"

namespace parley::bench {
namespace {

constexpr int64_t kStepTimeoutNs = 5'000'000'000;
constexpr int64_t kRetryDelayNs = 10'000'000;

bool IsType(std::string_view payload, std::string_view type) {
  constexpr std::string_view kTypeFirst = "{\"type\":\"";
  return payload.starts_with(kTypeFirst) && payload.substr(kTypeFirst.size()).starts_with(type) &&
         payload.size() > kTypeFirst.size() + type.size() &&
         payload[kTypeFirst.size() + type.size()] == '"';
}

}  // namespace

MatchWorker::MatchWorker(const Options& options, const sockaddr_in& server,
                         std::vector<uint32_t> sources, MatchSetup* setup, PhaseControl* control)
    : options_(options),
      setup_(setup),
      control_(control),
      server_(server),
      host_header_(options.host + ":" + std::to_string(options.port)),
      sources_(std::move(sources)),
      clients_(sources_.size()) {
  for (size_t i = 0; i < clients_.size(); ++i) {
    clients_[i].conn =
        std::make_unique<TextConn>(&loop_, &server_, &host_header_, this, static_cast<uint32_t>(i));
  }
}

MatchWorker::~MatchWorker() = default;

void MatchWorker::OnOpen(TextConn& c, int64_t now_ns) {
  clients_[c.id()].state = State::kAuthing;
  c.SendText(R"({"type":"auth","apiKey":""})");
}

void MatchWorker::OnClosed(TextConn& c, bool was_open, bool by_server) {
  Client& cl = clients_[c.id()];
  if (cl.state == State::kConnecting || cl.state == State::kAuthing) {
    ++tally_.connect_errors;
    ++settled_;
  } else if (by_server) {
    ++tally_.closed_by_server;
  }
  cl.state = State::kClosed;
}

void MatchWorker::OnText(TextConn& c, std::string_view payload, int64_t now) {
  Client& cl = clients_[c.id()];
  if (IsType(payload, "matched")) {
    return OnMatched(cl, FindStringField(payload, "\"partnerId\":\"").value_or(""), now);
  }
  if (IsType(payload, "chat_ended")) {
    if (cl.state == State::kEnding) ChatOver(cl, now);
    return;
  }
  if (IsType(payload, "partner_disconnected")) {
    // Also the end of a chat this client was ending itself, when the partner ended it first.
    if (cl.state == State::kAwaitEnd || cl.state == State::kEnding) ChatOver(cl, now);
    return;
  }
  if (IsType(payload, "auth_success")) {
    if (cl.state != State::kAuthing) return;
    cl.state = State::kReady;
    ++settled_;
    authed.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (IsType(payload, "auth_error")) return c.Close();  // counted as a connect error
  if (IsType(payload, "error")) {
    ++tally_.error_frames;
    // A refused search (queue_full, pair_limit): try again a little later, so a server at
    // its limit is not flooded.
    if (cl.state == State::kSearching && running_) {
      cl.state = State::kReady;
      retry_.emplace_back(now + kRetryDelayNs, c.id());
      return;
    }
    // Both ended the same chat (only for a client that does not know its id).
    if (cl.state == State::kEnding && payload.find("not_matched") != std::string_view::npos) {
      ChatOver(cl, now);
    }
  }
}

void MatchWorker::OnMatched(Client& c, std::string_view partner, int64_t now) {
  if (c.state != State::kSearching) return;
  c.partner.assign(partner);
  if (learning_) {
    c.state = State::kAwaitEnd;  // LearnIds decides who ends it
    return;
  }
  ++tally_.matched;
  if (now >= phase_.window_start_ns && now < phase_.window_end_ns) ++tally_.matched_in_window;
  if (c.search_ns >= phase_.window_start_ns && c.search_ns < phase_.window_end_ns) {
    tally_.latency.Record(static_cast<uint64_t>((now - c.search_ns) / 1000));
  }
  if (c.own_id.empty() || c.own_id < c.partner) {
    c.state = State::kEnding;
    c.conn->SendText(R"({"type":"end_chat"})");
  } else {
    c.state = State::kAwaitEnd;
  }
}

void MatchWorker::ChatOver(Client& c, int64_t now) {
  c.partner.clear();
  if (learning_) {
    c.state = State::kReady;
    return;
  }
  ++tally_.chats_ended;
  if (running_) {
    Search(c, now);
  } else {
    c.state = State::kReady;
  }
}

void MatchWorker::Search(Client& c, int64_t now) {
  c.state = State::kSearching;
  c.search_ns = now;
  // Mode "text": the expiry probes (mode "voice") must not be taken by the load.
  if (!c.conn->SendText(R"({"type":"search","mode":"text"})")) {
    ++tally_.send_skipped;
    return;
  }
  if (!learning_) ++tally_.searches;
}

void MatchWorker::RunUntil(const std::function<bool()>& done, int64_t deadline_ns) {
  while (!done() && NowNs() < deadline_ns && !control_->exit.load(std::memory_order_relaxed)) {
    loop_.RunOnce(retry_.empty() ? deadline_ns : std::min(deadline_ns, retry_.front().first), 5);
    const int64_t now = NowNs();
    while (!retry_.empty() && retry_.front().first <= now) {
      Client& c = clients_[retry_.front().second];
      retry_.pop_front();
      if (running_ && c.state == State::kReady) Search(c, now);
    }
  }
}

void MatchWorker::Connect() {
  const size_t parallel =
      std::max<size_t>(1, static_cast<size_t>(options_.connect_parallel / options_.threads));
  const int64_t deadline = NowNs() + static_cast<int64_t>(options_.connect_timeout * 1e9);
  size_t next = 0;
  while (settled_ < clients_.size() && NowNs() < deadline) {
    while (next < clients_.size() && next - settled_ < parallel) {
      clients_[next].conn->Start(sources_[next], setup_->path);
      ++next;
    }
    loop_.RunOnce(0, 5);
  }
  for (Client& c : clients_) {
    if (c.state == State::kConnecting || c.state == State::kAuthing) c.conn->Close();
  }
  tally_.connect_errors += clients_.size() - next;  // never started
}

void MatchWorker::LearnIds() {
  learning_ = true;
  for (size_t i = 0; i + 1 < clients_.size(); i += 2) {
    Client& a = clients_[i];
    Client& b = clients_[i + 1];
    if (a.state != State::kReady || b.state != State::kReady) continue;
    // Only these two are in the queue, so they are matched with each other.
    const int64_t now = NowNs();
    Search(a, now);
    Search(b, now);
    RunUntil([&] { return a.state != State::kSearching && b.state != State::kSearching; },
             NowNs() + kStepTimeoutNs);
    const bool matched = a.state == State::kAwaitEnd && b.state == State::kAwaitEnd;
    if (matched) {
      a.own_id = b.partner;
      b.own_id = a.partner;
      known.fetch_add(2, std::memory_order_relaxed);
      a.state = State::kEnding;
      a.conn->SendText(R"({"type":"end_chat"})");
    } else {
      // The server is not answering as it should: the remaining clients go without ids
      // (they end every chat themselves) rather than wait here pair after pair.
      for (Client* c : {&a, &b}) {
        if (c->state == State::kSearching) c->conn->SendText(R"({"type":"cancel"})");
        if (c->state != State::kClosed) c->state = State::kReady;
      }
      break;
    }
    RunUntil([&] { return a.state != State::kEnding && b.state != State::kAwaitEnd; },
             NowNs() + kStepTimeoutNs);
  }
  learning_ = false;
}

void MatchWorker::Run() {
  if (!loop_.ok()) {
    tally_.connect_errors += clients_.size();
    ready.store(true, std::memory_order_release);
    return;
  }
  Connect();
  {
    std::lock_guard<std::mutex> lock(setup_->queue_lock);
    LearnIds();
  }
  ready.store(true, std::memory_order_release);
  RunUntil([&] { return control_->generation.load(std::memory_order_acquire) > 0; }, INT64_MAX);
  phase_ = control_->command;
  RunUntil([] { return false; }, phase_.start_ns);
  running_ = true;
  const int64_t start = NowNs();
  for (Client& c : clients_) {
    if (c.state == State::kReady) Search(c, start);
  }
  RunUntil([] { return false; }, phase_.window_end_ns);
  running_ = false;
  const auto count = [this](std::initializer_list<State> states) {
    return static_cast<uint64_t>(std::count_if(clients_.begin(), clients_.end(), [&](auto& c) {
      return std::find(states.begin(), states.end(), c.state) != states.end();
    }));
  };
  while (!control_->exit.load(std::memory_order_acquire)) {
    loop_.RunOnce(0, 5);
    busy.store(count({State::kEnding, State::kAwaitEnd}), std::memory_order_relaxed);
    if (!reported.load(std::memory_order_relaxed) &&
        control_->end_generation.load(std::memory_order_acquire) > 0) {
      searching.store(count({State::kSearching}), std::memory_order_relaxed);
      result_ = std::move(tally_);
      tally_ = Tally();
      reported.store(true, std::memory_order_release);
    }
  }
  for (Client& c : clients_) c.conn->Close();
}

}  // namespace parley::bench
