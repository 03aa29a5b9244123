// NativeSocket: one WebSocket speaking parley's native protocol v1 (GET /v1/ws?username=U):
// JSON frames in both directions, several rooms per socket, acknowledged and resumable
// messages, typing, reactions, edits, deletes, read markers and history pages
// (docs/protocol.md). It validates each request, keeps the set of rooms it joined and the
// typing rate, and hands everything else to the rooms through ChatService. Lives on its
// connection's shard thread, owned by the connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "api/native_request.h"
#include "auth/authenticator.h"
#include "base/config.h"
#include "net/connection.h"
#include "room/chat_service.h"

namespace parley::api {

class NativeSocket final : public net::WsHandler {
 public:
  // `auth` (may be null: every room is open) decides which rooms `who` may join; both are
  // fixed for the socket's life.
  NativeSocket(room::ChatService& chat, const LimitsConfig& limits, std::string username,
               const auth::Authenticator* auth = nullptr, auth::Identity who = {})
      : chat_(chat),
        limits_(limits),
        username_(std::move(username)),
        auth_(auth),
        who_(std::move(who)) {}

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

 private:
  void Handle(net::Connection& c, NativeRequest& r);
  // True when this socket joined r.room; otherwise answers not_joined.
  bool InRoom(net::Connection& c, const NativeRequest& r);
  // True when another typing event is allowed now; counts it.
  bool AllowTyping(int64_t now_ms);

  room::ChatService& chat_;
  const LimitsConfig& limits_;
  const std::string username_;
  const auth::Authenticator* const auth_;
  const auth::Identity who_;
  std::unordered_set<std::string> rooms_;
  int64_t typing_window_start_ms_ = 0;
  int typing_in_window_ = 0;
};

}  // namespace parley::api
