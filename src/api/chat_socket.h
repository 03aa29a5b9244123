// ChatSocket: one seed 004 WebSocket (/ws?username=&room=). Each text frame is one chat
// message; the room answers with history, presence and chat frames. Lives on its
// connection's shard thread, owned by the connection.
#pragma once

#include <string>

#include "api/room_ai.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"
#include "room/chat_service.h"

namespace parley::api {

class ChatSocket final : public net::WsHandler {
 public:
  // `limiter` (may be null: no rate limits) counts messages per socket, username and IP.
  ChatSocket(room::ChatService& chat, std::string room, std::string username, int max_message_bytes,
             guard::RateLimiter* limiter = nullptr, RoomAi* room_ai = nullptr)
      : chat_(chat),
        room_(std::move(room)),
        username_(std::move(username)),
        max_message_bytes_(max_message_bytes),
        limiter_(limiter),
        room_ai_(room_ai) {}

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

 private:
  room::ChatService& chat_;
  const std::string room_;
  std::string username_;  // moved into the room on open; user_ keeps the rate key
  std::string user_;
  const int max_message_bytes_;
  guard::RateLimiter* const limiter_;
  guard::ConnectionBuckets buckets_;
  RoomAi* const room_ai_;  // answers @ai; nullptr: never
};

}  // namespace parley::api
