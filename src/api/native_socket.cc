#include "api/native_socket.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "base/log.h"
#include "base/metrics.h"
#include "protocol/native_json.h"
#include "protocol/packet.h"
#include "protocol/ws/utf8.h"

namespace parley::api {
namespace {

constexpr int64_t kTypingWindowMs = 10'000;

metrics::Counter& PacketErrors() {
  static auto& c = metrics::Default().AddCounter(
      "parley_packet_errors_total",
      "Binary packets refused on the native socket (bad header, checksum, size, version).");
  return c;
}

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
  if (op == ws::Opcode::kBinary) return OnPacket(c, payload);
  OnJson(c, payload);
}

void NativeSocket::OnPacket(net::Connection& c, std::string_view packet) {
  Result<std::string> json = packet::DecodePacket(
      packet, static_cast<size_t>(std::max(limits_.max_packet_payload_bytes, 0)));
  if (!json.ok()) {
    // The packet is dropped and the connection stays: each packet is a whole WebSocket
    // message, so a bad one cannot desynchronise the next. The answer goes out in the
    // socket's current format; a bad packet does not switch it to packets.
    PacketErrors().Add(1);
    PARLEY_LOG_DEBUG("packet_refused conn={} code={} bytes={}", c.id(), json.status().wire_name(),
                     packet.size());
    return SendError(c, json.status().code(), json.status().message(), {});
  }
  // A client that sent a valid packet reads packets: every later frame to it is one.
  if (!c.packet_output()) {
    c.UsePacketOutput(static_cast<size_t>(std::max(limits_.packet_compress_min_bytes, 0)));
  }
  if (!ws::IsValidUtf8(*json)) {
    return SendError(c, ErrorCode::kBadRequest, "A packet's payload must be UTF-8 JSON.", {});
  }
  OnJson(c, *json);
}

void NativeSocket::OnJson(net::Connection& c, std::string_view payload) {
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

bool NativeSocket::WithinRate(net::Connection& c, guard::Action action, const NativeRequest& r) {
  if (limiter_ == nullptr) return true;
  const guard::RateDecision d =
      limiter_->Take(action, {.connection = &buckets_, .user = username_, .ip = c.remote_ip()});
  if (d.allowed()) return true;
  c.SendText(EncodeErrorFrameRef(Describe(ErrorCode::kRateLimited).wire_name,
                                 fmt::format("Too many {} requests; retry in {} ms.",
                                             guard::ActionName(action), d.retry_after_ms),
                                 r.ref, d.retry_after_ms));
  return false;
}

void NativeSocket::Handle(net::Connection& c, NativeRequest& r) {
  using Type = NativeRequest::Type;
  switch (r.type) {
    case Type::kPing:
      // Answered here: a ping checks the connection, not any room.
      return c.SendText(EncodePong());
    case Type::kJoin:
      if (!WithinRate(c, guard::Action::kJoin, r)) return;
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
    case Type::kMessage: {
      if (!InRoom(c, r) || !WithinRate(c, guard::Action::kMessage, r)) return;
      std::string question = room_ai_ != nullptr && MentionsAi(r.text) ? r.text : std::string();
      chat_.Post(c, r.room,
                 room::PostRequest{std::move(r.text), std::move(r.client_id), std::move(r.reply_to),
                                   std::move(r.image_url)});
      if (question.empty()) return;
      // The message is posted either way; a refused question is the asker's to know.
      RoomAiRefusal no = room_ai_->Ask(
          r.room, question, {.connection = &buckets_, .user = username_, .ip = c.remote_ip()});
      if (no.status.ok()) return;
      return c.SendText(EncodeErrorFrameRef(no.status.wire_name(), no.status.message(), r.ref,
                                            no.retry_after_ms > 0 ? no.retry_after_ms : -1));
    }
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
      if (r.active && !WithinRate(c, guard::Action::kTyping, r)) return;
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
