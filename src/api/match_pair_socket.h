// PairSocket: one user's socket in a pair room, GET /chat?sessionId=&userId=&userName=
// &ticket= (seed 000's ChatRoom WebSocket). The route has checked the ticket. Gets the
// room's recent history on join; sends message, end_chat and ping. Closed (1000,
// "chat_ended") when the chat ends. Lives on its connection's shard thread.
#pragma once

#include <string>

#include "api/match_settings.h"
#include "net/connection.h"

namespace parley::api {

class PairSocket final : public net::WsHandler, public match::MatchSocket {
 public:
  PairSocket(const MatchSettings& settings, std::string session, std::string user_id)
      : settings_(settings), session_(std::move(session)), user_id_(std::move(user_id)) {}

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

  const std::string& session() const override { return session_; }
  void OnPairFrame(net::Connection& c, const SharedFrame& frame, bool ends) override;
  bool OnMatched(net::Connection&, const match::Pairing&) override { return false; }

 private:
  const MatchSettings& settings_;
  const std::string session_;
  const std::string user_id_;
  bool ended_ = false;
  guard::ConnectionBuckets buckets_;
};

}  // namespace parley::api
