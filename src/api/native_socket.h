// NativeSocket: one WebSocket speaking parley's native protocol v1 (GET /v1/ws?username=U):
// JSON in both directions, several rooms per socket, acknowledged and resumable messages,
// typing, reactions, edits, deletes, read markers and history pages (docs/protocol.md).
// The JSON comes as text frames or as binary packets (protocol/packet.h), mixed freely;
// once the client has sent one valid packet, everything parley sends it is a packet. It validates
// each request, keeps the set of rooms it joined and the typing rate, and hands everything else to
// the rooms through ChatService. Lives on its connection's shard thread, owned by the connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "api/native_request.h"
#include "api/room_ai.h"
#include "auth/authenticator.h"
#include "base/config.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"
#include "room/chat_service.h"

namespace parley::api {

class NativeSocket final : public net::WsHandler {
 public:
  // `limiter` (may be null: no rate limits) counts messages, typing and joins per socket,
  // per username and per IP address. `auth` (may be null: every room is open) decides which
  // rooms `who` may join; both are fixed for the socket's life.
  NativeSocket(room::ChatService& chat, const LimitsConfig& limits, std::string username,
               guard::RateLimiter* limiter = nullptr, const auth::Authenticator* auth = nullptr,
               auth::Identity who = {}, RoomAi* room_ai = nullptr)
      : chat_(chat),
        limits_(limits),
        username_(std::move(username)),
        limiter_(limiter),
        auth_(auth),
        who_(std::move(who)),
        room_ai_(room_ai) {}

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

 private:
  // A binary message: decodes the packet (answering its errors) and handles its JSON.
  void OnPacket(net::Connection& c, std::string_view packet);
  // One JSON request, from a text frame or a packet. REQUIRES: valid UTF-8.
  void OnJson(net::Connection& c, std::string_view payload);
  void Handle(net::Connection& c, NativeRequest& r);
  // True when this socket joined r.room; otherwise answers not_joined.
  bool InRoom(net::Connection& c, const NativeRequest& r);
  // True when another typing event is allowed now; counts it.
  bool AllowTyping(int64_t now_ms);
  // True when `action` is within its rate; otherwise answers rate_limited (with
  // retryAfterMs and the request's ref) and the request is dropped.
  bool WithinRate(net::Connection& c, guard::Action action, const NativeRequest& r);

  room::ChatService& chat_;
  const LimitsConfig& limits_;
  const std::string username_;
  guard::RateLimiter* const limiter_;
  guard::ConnectionBuckets buckets_;
  const auth::Authenticator* const auth_;
  const auth::Identity who_;
  RoomAi* const room_ai_;  // answers @ai; nullptr: never
  std::unordered_set<std::string> rooms_;
  int64_t typing_window_start_ms_ = 0;
  int typing_in_window_ = 0;
};

}  // namespace parley::api
