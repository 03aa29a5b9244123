#include "api/match_socket.h"

#include <random>

#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"

namespace parley::api {
namespace {

// A random public id for an anonymous socket user: partners see it, so it must not reveal
// connection counts, but it guards nothing (chats are reached through the socket itself).
std::string NewUserId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t v = rng();
  std::string id = "u-";
  for (int i = 0; i < 16; ++i, v >>= 4) id += kHex[v & 15];
  return id;
}

}  // namespace

int64_t MatchSettings::Throttle(guard::Action action, guard::ConnectionBuckets* buckets,
                                std::string_view user, std::string_view ip) const {
  if (limiter == nullptr) return 0;
  return limiter->Take(action, {.connection = buckets, .user = user, .ip = ip}).retry_after_ms;
}

SearchSocket::SearchSocket(const MatchSettings& settings, bool key_on_upgrade)
    : settings_(settings),
      user_id_(NewUserId()),
      authed_(key_on_upgrade || !settings.auth_required()) {}

void SearchSocket::OnOpen(net::Connection& c) {
  shard_ = net::Shard::Current();
  conn_id_ = c.id();
  settings_.service->Register(c, this);
  // One tick more than the setting: the wheel's first tick may come at once.
  if (!authed_) shard_->wheel().Schedule(*this, settings_.auth_timeout_s + 1);
}

void SearchSocket::OnTimeout() {
  if (authed_) return;
  if (net::Connection* c = shard_->FindConnection(conn_id_); c != nullptr && c->is_open()) {
    Fail(*c, ErrorCode::kNotAuthenticated, "No valid auth message in time.");
    c->Close(Describe(ErrorCode::kNotAuthenticated).ws_close_code, "auth_timeout");
  }
}

void SearchSocket::Fail(net::Connection& c, ErrorCode code, std::string_view message) {
  c.SendText(EncodeErrorFrame(Describe(code).wire_name, message));
}

void SearchSocket::OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) {
  if (op != ws::Opcode::kText) {
    return Fail(c, ErrorCode::kBadRequest, "Send JSON frames as text.");
  }
  auto frame = match::DecodeClientFrame(payload, settings_.rules);
  if (!frame.ok()) return Fail(c, frame.status().code(), frame.status().message());
  using Type = match::ClientFrame::Type;
  if (frame->type == Type::kAuth) {
    if (!settings_.AcceptsKey(frame->api_key)) {
      return c.SendText(match::EncodeAuthError("Invalid API key."));
    }
    authed_ = true;
    Cancel();  // the auth deadline
    return c.SendText(match::EncodeTyped("auth_success"));
  }
  if (!authed_) {
    return Fail(c, ErrorCode::kNotAuthenticated, "Send {\"type\":\"auth\",\"apiKey\":...} first.");
  }
  if (frame->type == Type::kSearch || frame->type == Type::kMessage) {
    // The user id is random per socket, so the connection and the address are the keys.
    const auto action =
        frame->type == Type::kSearch ? guard::Action::kMatch : guard::Action::kMessage;
    if (int64_t wait = settings_.Throttle(action, &buckets_, {}, c.remote_ip()); wait > 0) {
      return c.SendText(EncodeErrorFrameRef(Describe(ErrorCode::kRateLimited).wire_name,
                                            "Too many requests; slow down.", {}, wait));
    }
  }
  switch (frame->type) {
    case Type::kSearch:
      return Search(c, frame->filters);
    case Type::kCancel:
      StopSearching();
      return c.SendText(match::EncodeTyped("cancelled"));
    case Type::kMessage:
      if (state_ != State::kMatched) {
        return Fail(c, ErrorCode::kNotMatched, "Search and get matched before sending messages.");
      }
      return settings_.service->Message(
          c, session_, user_id_,
          match::PairMessage{.text = std::move(frame->text),
                             .image_url = std::move(frame->image_url)});
    case Type::kEndChat:
      return EndChat(c);
    case Type::kPing:
      return c.SendText(match::EncodeTyped("pong"));
    case Type::kAuth:
      return;
  }
}

void SearchSocket::Search(net::Connection& c, const match::Filters& filters) {
  // Searching while in a chat is "next": that chat ends for both first.
  if (state_ == State::kMatched) settings_.service->End(c, session_, user_id_);
  session_.clear();
  state_ = State::kSearching;
  const uint64_t gen = ++search_gen_;
  match::Seeker s{.user_id = user_id_,
                  .user_name = user_id_,
                  .device_id = user_id_,
                  .filters = filters,
                  .endpoint = {c.shard(), c.id()}};
  settings_.service->Request(std::move(s), [this, gen, shard = shard_, id = c.id(),
                                            svc = settings_.service,
                                            user = user_id_](match::Outcome out) {
    // The connection owns this handler: only while it is found may `this` be touched.
    net::Connection* conn = shard->FindConnection(id);
    if (conn == nullptr || !conn->is_open() || gen != search_gen_ || state_ != State::kSearching) {
      // Matched after leaving the queue: the partner must not wait for this user.
      if (out.kind == match::Outcome::Kind::kMatched) svc->Abandon(out.pairing.session_id, user);
      return;
    }
    if (out.kind == match::Outcome::Kind::kRejected) {
      state_ = State::kIdle;
      return Fail(*conn, out.status.code(), out.status.message());
    }
    // `searching` waits for the matchmaker's answer: a search matched at once then sends
    // `searching` and `matched` in one write instead of two. A waiting search still hears
    // `searching` before any `matched`, which comes through the same shard inbox later.
    conn->SendText(match::EncodeTyped("searching"));
    if (out.kind == match::Outcome::Kind::kMatched) OnMatched(*conn, out.pairing);
  });
}

bool SearchSocket::OnMatched(net::Connection& c, const match::Pairing& pairing) {
  if (state_ != State::kSearching) return false;
  state_ = State::kMatched;
  session_ = pairing.session_id;
  settings_.service->Join(c, session_, user_id_, match::SocketKind::kSearch);
  c.SendText(match::EncodeMatched(pairing.partner_id));
  return true;
}

void SearchSocket::StopSearching() {
  if (state_ != State::kSearching) return;
  state_ = State::kIdle;
  ++search_gen_;
  settings_.service->Cancel(user_id_);
}

void SearchSocket::EndChat(net::Connection& c) {
  if (state_ == State::kSearching) {
    StopSearching();
    return c.SendText(match::EncodeTyped("chat_ended"));
  }
  if (state_ != State::kMatched) return Fail(c, ErrorCode::kNotMatched, "There is no chat to end.");
  // The room answers chat_ended (to this socket) and partner_disconnected (to the partner).
  settings_.service->End(c, session_, user_id_);
}

void SearchSocket::OnPairFrame(net::Connection& c, const SharedFrame& frame, bool ends) {
  c.Send(frame);
  if (ends) {
    state_ = State::kIdle;
    session_.clear();
  }
}

void SearchSocket::OnClosed(net::Connection& c) {
  net::TimerNode::Cancel();
  settings_.service->Unregister(c);
  if (state_ == State::kSearching) settings_.service->Cancel(user_id_);
  if (state_ == State::kMatched) settings_.service->Leave(c, session_, user_id_);
  state_ = State::kIdle;
  ++search_gen_;
}

}  // namespace parley::api
