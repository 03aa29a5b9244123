#include "api/seed003_socket.h"

#include <fmt/format.h>

#include <random>

#include "api/match_socket.h"
#include "api/seed003_ai.h"
#include "api/seed003_routes.h"
#include "net/shard.h"
#include "protocol/seed003_json.h"
#include "visitor/visitor_json.h"

namespace parley::api {
namespace {

using Type = Seed003Request::Type;

std::string RandomPrefix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("s3-{:016x}-", rng());
}

}  // namespace

Seed003Socket::Seed003Socket(const Seed003Settings& settings)
    : settings_(settings), client_id_prefix_(RandomPrefix()) {}

void Seed003Socket::OnOpen(net::Connection& c) {
  shard_ = net::Shard::Current();
  conn_id_ = c.id();
}

template <typename Fn>
auto Seed003Socket::IfOpen(Fn fn) {
  return [shard = shard_, id = conn_id_, fn = std::move(fn)](auto&& result) mutable {
    net::Connection* conn = shard->FindConnection(id);
    if (conn == nullptr || !conn->is_open()) return;
    fn(*conn, std::forward<decltype(result)>(result));
  };
}

void Seed003Socket::Fail(net::Connection& c, ErrorCode code, std::string_view message) {
  c.SendText(EncodeSeed003Error(Describe(code).wire_name, message, settings_.clock->NowMs()));
}

void Seed003Socket::OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) {
  if (op != ws::Opcode::kText) return Fail(c, ErrorCode::kBadRequest, "Send JSON as text frames.");
  auto r = DecodeSeed003Frame(payload, settings_.limits);
  if (!r.ok()) return Fail(c, r.status().code(), r.status().message());
  switch (r->type) {
    case Type::kForeign:
      return Fail(c, ErrorCode::kUnknownType, "Unknown message type: " + r->type_name);
    case Type::kJoinRoom:
      return JoinRoom(c, *r);
    case Type::kLeaveRoom:
      if (rooms_.erase(r->room_id) > 0) settings_.chat->Leave(c, r->room_id);
      return;
    case Type::kSendMessage:
      return SendMessage(c, *r);
    case Type::kVisitorJoined:
      return VisitorJoined(c, *r);
    case Type::kVisitorLeft:
      return VisitorLeft(c, *r);
    case Type::kVisitorActivity:
      return VisitorActivity(c, *r);
    case Type::kGetDomainStats:
      return DomainStats(c, *r);
    case Type::kAiChat:
      return Ai(c, payload, /*stream=*/false);
    case Type::kAiStream:
      return Ai(c, payload, /*stream=*/true);
  }
}

void Seed003Socket::Ai(net::Connection& c, std::string_view payload, bool stream) {
  if (settings_.ai == nullptr) {
    return Fail(c, ErrorCode::kAiNotConfigured, "The AI assistant is not configured here.");
  }
  if (ai_busy_->load()) {
    return Fail(c, ErrorCode::kAiBusy,
                "The previous AI answer on this socket has not ended yet; ask again after its "
                "ai-response, ai-stream-end or error.");
  }
  auto question = CheckAiQuestion(*settings_.ai, payload);
  if (!question.ok()) return Fail(c, question.status().code(), question.status().message());
  const int64_t wait =
      TakeAiToken(*settings_.ai, {.connection = &buckets_, .user = user_id_, .ip = c.remote_ip()});
  if (wait > 0) {
    return c.SendText(
        EncodeSeed003RetryError(Describe(ErrorCode::kRateLimited).wire_name,
                                fmt::format("Too many AI requests; retry in {} ms.", wait), wait,
                                settings_.clock->NowMs()));
  }
  auto exchange = std::make_shared<AiExchange>(
      *settings_.ai, *shard_, std::move(question->ask), std::move(question->model), stream,
      MakeSocketAiReply(*shard_, conn_id_, stream, *settings_.clock, ai_busy_));
  exchange->Start();
}

void Seed003Socket::JoinRoom(net::Connection& c, Seed003Request& r) {
  if (rooms_.contains(r.room_id)) {
    // Already in the room, under the identity of the first join.
    return c.SendText(EncodeJoinedRoom(r.room_id, settings_.clock->NowMs()));
  }
  // Seed 003 frames name their author by userId, so neither may be the assistant's name.
  for (const std::string* name : {&r.user_name, &r.user_id}) {
    if (Status st = CheckNotReserved(*name); !st.ok()) return Fail(c, st.code(), st.message());
  }
  if (static_cast<int>(rooms_.size()) >= settings_.max_rooms_per_socket) {
    return Fail(
        c, ErrorCode::kTooManyRooms,
        fmt::format("A socket may be in at most {} rooms.", settings_.max_rooms_per_socket));
  }
  rooms_.insert(r.room_id);
  if (user_id_.empty()) user_id_ = r.user_id;
  settings_.chat->JoinSeed003(c, r.room_id, std::move(r.user_id), std::move(r.user_name));
}

void Seed003Socket::SendMessage(net::Connection& c, Seed003Request& r) {
  if (!rooms_.contains(r.room_id)) {
    return Fail(c, ErrorCode::kNotJoined, "Send join-room for this room first.");
  }
  std::string question =
      settings_.room_ai != nullptr && MentionsAi(r.message) ? r.message : std::string();
  // A fresh clientId per message: the room acknowledges it (message-sent) once durable.
  settings_.chat->Post(
      c, r.room_id,
      room::PostRequest{.text = std::move(r.message),
                        .client_id = client_id_prefix_ + std::to_string(++next_client_id_)});
  if (question.empty()) return;
  // The message is posted either way; a refused question is the asker's to know.
  RoomAiRefusal no = settings_.room_ai->Ask(
      r.room_id, question, {.connection = &buckets_, .user = user_id_, .ip = c.remote_ip()});
  if (no.status.ok()) return;
  if (no.retry_after_ms > 0) {
    return c.SendText(EncodeSeed003RetryError(no.status.wire_name(), no.status.message(),
                                              no.retry_after_ms, settings_.clock->NowMs()));
  }
  Fail(c, no.status.code(), no.status.message());
}

void Seed003Socket::VisitorJoined(net::Connection& c, Seed003Request& r) {
  const std::pair<std::string, std::string> key{r.domain_id, r.visitor_id};
  const bool known = std::find(visitors_.begin(), visitors_.end(), key) != visitors_.end();
  if (Status st = AdmitVisitorDomain(settings_, c.remote_ip(), r.domain_id); !st.ok()) {
    return Fail(c, st.code(), st.message());
  }
  if (!known && static_cast<int>(visitors_.size()) >= settings_.max_visitors_per_socket) {
    return Fail(
        c, ErrorCode::kVisitorLimit,
        fmt::format("A socket may track at most {} visitors.", settings_.max_visitors_per_socket));
  }
  if (!known) visitors_.push_back(key);
  settings_.visitors->Add(
      r.domain_id, r.visitor_id, r.visitor_data, std::move(r.page), std::move(r.user_agent),
      IfOpen([this, domain = r.domain_id, id = r.visitor_id, data = r.visitor_data](
                 net::Connection& conn, Result<visitor::VisitorChange> done) {
        if (!done.ok()) return Fail(conn, done.status().code(), done.status().message());
        conn.SendText(visitor::EncodeVisitorEvent("visitor-joined-domain", domain, id, data,
                                                  done->active, settings_.clock->NowMs()));
      }));
}

void Seed003Socket::VisitorLeft(net::Connection& c, Seed003Request& r) {
  std::erase(visitors_, std::pair<std::string, std::string>{r.domain_id, r.visitor_id});
  settings_.visitors->Remove(
      r.domain_id, r.visitor_id,
      IfOpen([this, domain = r.domain_id, id = r.visitor_id](net::Connection& conn,
                                                             Result<visitor::VisitorChange> done) {
        if (!done.ok()) return Fail(conn, done.status().code(), done.status().message());
        conn.SendText(visitor::EncodeVisitorEvent("visitor-left-domain", domain, id, "",
                                                  done->active, settings_.clock->NowMs()));
      }));
  (void)c;
}

void Seed003Socket::VisitorActivity(net::Connection& c, Seed003Request& r) {
  // The seed answers a heartbeat with nothing; only a refusal is reported.
  settings_.visitors->Touch(
      r.domain_id, r.visitor_id,
      IfOpen([this](net::Connection& conn, Result<visitor::VisitorChange> done) {
        if (!done.ok()) Fail(conn, done.status().code(), done.status().message());
      }));
  (void)c;
}

void Seed003Socket::DomainStats(net::Connection& c, Seed003Request& r) {
  settings_.visitors->Stats(
      r.domain_id, IfOpen([this](net::Connection& conn, Result<visitor::DomainStats> done) {
        if (!done.ok()) return Fail(conn, done.status().code(), done.status().message());
        conn.SendText(visitor::EncodeDomainStats(*done, "domain-stats", settings_.clock->NowMs()));
      }));
  (void)c;
}

void Seed003Socket::OnClosed(net::Connection& c) {
  for (const auto& room : rooms_) settings_.chat->Leave(c, room);
  rooms_.clear();
  // The visitors this socket announced leave with it (the service answers nobody).
  for (auto& [domain, id] : visitors_) {
    settings_.visitors->Remove(domain, id, [](const Result<visitor::VisitorChange>&) {});
  }
  visitors_.clear();
}

JsonWsSocket::JsonWsSocket(const Seed003Settings& settings, bool key_on_upgrade)
    : settings_(settings) {
  if (settings_.match != nullptr) {
    inner_ = std::make_unique<SearchSocket>(*settings_.match, key_on_upgrade);
  } else {
    inner_ = std::make_unique<Seed003Socket>(settings_);
    decided_ = true;
  }
}

void JsonWsSocket::OnOpen(net::Connection& c) { inner_->OnOpen(c); }

void JsonWsSocket::OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) {
  if (!decided_) {
    decided_ = true;
    if (op == ws::Opcode::kText && IsSeed003Frame(payload)) {
      // The seed 001 socket has done nothing yet but register and arm its auth deadline;
      // closing it undoes both.
      inner_->OnClosed(c);
      inner_ = std::make_unique<Seed003Socket>(settings_);
      inner_->OnOpen(c);
    }
  }
  inner_->OnMessage(c, op, payload);
}

void JsonWsSocket::OnClosed(net::Connection& c) { inner_->OnClosed(c); }

}  // namespace parley::api
