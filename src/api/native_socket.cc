#include "api/native_socket.h"

#include <fmt/format.h>

#include <chrono>

#include "protocol/native_json.h"

namespace parley::api {
namespace {

constexpr int64_t kTypingWindowMs = 10'000;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void SendError(net::Connection& c, ErrorCode code, std::string_view message, std::string_view ref) {
  c.SendText(EncodeErrorFrameRef(Describe(code).wire_name, message, ref));
}

}  // namespace

void NativeSocket::OnOpen(net::Connection&) {}

void NativeSocket::OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) {
  if (op != ws::Opcode::kText) {
    return SendError(c, ErrorCode::kBadRequest, "Send JSON requests as text frames.", {});
  }
  std::string ref;
  Result<NativeRequest> r = ParseNativeRequest(payload, limits_, ref);
  // A bad request is the client's to fix: it gets an error naming the problem and the
  // connection stays.
  if (!r.ok()) return SendError(c, r.status().code(), r.status().message(), ref);
  Handle(c, *r);
}

bool NativeSocket::InRoom(net::Connection& c, const NativeRequest& r) {
  if (rooms_.contains(r.room)) return true;
  SendError(c, ErrorCode::kNotJoined, fmt::format("Join room \"{}\" before using it.", r.room),
            r.ref);
  return false;
}

bool NativeSocket::AllowTyping(int64_t now_ms) {
  if (now_ms - typing_window_start_ms_ >= kTypingWindowMs) {
    typing_window_start_ms_ = now_ms;
    typing_in_window_ = 0;
  }
  if (typing_in_window_ >= limits_.typing_per_10s) return false;
  ++typing_in_window_;
  return true;
}

void NativeSocket::Handle(net::Connection& c, NativeRequest& r) {
  using Type = NativeRequest::Type;
  switch (r.type) {
    case Type::kPing:
      // Answered here: a ping checks the connection, not any room.
      return c.SendText(EncodePong());
    case Type::kJoin:
      if (rooms_.contains(r.room)) {
        // Joining again starts over (with `since`, a resync): leave, then join. This also
        // recovers a socket whose room dropped it after a failed history read.
        chat_.Leave(c, r.room);
        return chat_.Join(c, r.room, username_, /*native=*/true, r.since);
      }
      if (auth_ != nullptr) {
        if (Status st = auth_->CheckRoom(who_, r.room); !st.ok()) {
          return SendError(c, st.code(), st.message(), r.ref);
        }
      }
      if (static_cast<int>(rooms_.size()) >= limits_.max_rooms_per_connection) {
        return SendError(c, ErrorCode::kTooManyRooms,
                         fmt::format("A connection may be in at most {} rooms.",
                                     limits_.max_rooms_per_connection),
                         r.ref);
      }
      rooms_.insert(r.room);
      return chat_.Join(c, r.room, username_, /*native=*/true, r.since);
    case Type::kLeave:
      if (!InRoom(c, r)) return;
      rooms_.erase(r.room);
      chat_.Leave(c, r.room);
      return c.SendText(EncodeLeft(r.room));
    case Type::kMessage:
      if (!InRoom(c, r)) return;
      return chat_.Post(c, r.room,
                        room::PostRequest{std::move(r.text), std::move(r.client_id),
                                          std::move(r.reply_to), std::move(r.image_url)});
    case Type::kTyping: {
      if (!InRoom(c, r)) return;
      const int64_t now = SteadyMs();
      // Stopping is always allowed, so an indicator never sticks.
      if (r.active && !AllowTyping(now)) {
        const int64_t retry = kTypingWindowMs - (now - typing_window_start_ms_);
        return c.SendText(EncodeErrorFrameRef(
            Describe(ErrorCode::kRateLimited).wire_name,
            fmt::format("At most {} typing events per 10 seconds; retry in {} ms.",
                        limits_.typing_per_10s, retry),
            r.ref, retry));
      }
      return chat_.Typing(c, r.room, r.active);
    }
    case Type::kReact:
      if (!InRoom(c, r)) return;
      return chat_.React(c, r.room, std::move(r.message_id), std::move(r.emoji), std::move(r.ref));
    case Type::kEdit:
      if (!InRoom(c, r)) return;
      return chat_.Edit(c, r.room, std::move(r.message_id), std::move(r.text), std::move(r.ref));
    case Type::kDelete:
      if (!InRoom(c, r)) return;
      return chat_.Delete(c, r.room, std::move(r.message_id), std::move(r.ref));
    case Type::kRead:
      if (!InRoom(c, r)) return;
      return chat_.MarkRead(c, r.room, r.seq, std::move(r.ref));
    case Type::kHistory:
      if (!InRoom(c, r)) return;
      return chat_.History(c, r.room, r.before, r.limit > 0 ? r.limit : limits_.max_history_page,
                           std::move(r.ref));
  }
}

void NativeSocket::OnClosed(net::Connection& c) {
  for (const auto& room : rooms_) chat_.Leave(c, room);
  rooms_.clear();
}

}  // namespace parley::api
