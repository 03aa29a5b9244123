// Router: parley's HTTP routes (the seeds' Worker entry point): the seed 004 API, the
// WebSocket endpoint and the embedded web UI. One per shard, on that shard's thread.
#pragma once

#include <chrono>

#include "auth/authenticator.h"
#include "base/config.h"
#include "net/connection.h"
#include "net/options.h"
#include "room/chat_service.h"

namespace parley::api {

class GuardRoutes;
class MatchRoutes;
class UploadRoutes;
class AiRoutes;
class RoomAi;
class Seed003Routes;
class MessageRoutes;
class AuthRoutes;
class AdminRoutes;

class Router final : public net::HttpHandler {
 public:
  Router(const Config& config, room::ChatService& chat, const net::NetStats& stats,
         std::chrono::steady_clock::time_point started);

  void OnRequest(net::Connection& c, net::HttpRequest& req) override;
  // Serves the random 1:1 chat routes (match_routes.h) ahead of the others.
  void set_match_routes(const MatchRoutes* routes) { match_ = routes; }
  // Checks origins, CORS and the HTTP rate ahead of every route (guard_routes.h); its
  // limiter also counts the WebSockets' messages, typing and joins.
  void set_guard_routes(const GuardRoutes* routes) { guard_ = routes; }
  // Serves POST /api/files and GET /files/<id> (upload_routes.h).
  void set_upload_routes(const UploadRoutes* routes) { uploads_ = routes; }
  // Serves the AI assistant's routes (ai_routes.h) ahead of the others.
  void set_ai_routes(const AiRoutes* routes) { ai_ = routes; }
  void set_room_ai(RoomAi* room_ai) { room_ai_ = room_ai; }
  // Serves seed 003's routes (seed003_routes.h), GET / and /ws included, ahead of all others.
  void set_seed003_routes(const Seed003Routes* routes) { seed003_ = routes; }
  // Serves seed 002's REST message API (message_routes.h).
  void set_message_routes(const MessageRoutes* routes) { messages_ = routes; }
  // Serves the built-in accounts' routes, /api/auth/* (auth_routes.h).
  void set_auth_routes(const AuthRoutes* routes) { accounts_ = routes; }
  // /api/admin/* (moderation). REQUIRES: outlives the router.
  void set_admin_routes(const AdminRoutes* routes) { admin_ = routes; }
  // Checks API keys, tokens and private rooms on every WebSocket upgrade; null = nobody is
  // checked (tests of other features).
  void set_authenticator(const auth::Authenticator* auth) { auth_ = auth; }

 private:
  void WebSocket(net::Connection& c, net::HttpRequest& req);
  void Health(net::Connection& c);
  void Users(net::Connection& c, const net::HttpRequest& req);
  void History(net::Connection& c, const net::HttpRequest& req);
  void Search(net::Connection& c, const net::HttpRequest& req);
  void Static(net::Connection& c, const net::HttpRequest& req);

  const Config& config_;
  room::ChatService& chat_;
  const net::NetStats& stats_;
  const std::chrono::steady_clock::time_point started_;
  const MatchRoutes* match_ = nullptr;
  const GuardRoutes* guard_ = nullptr;
  const UploadRoutes* uploads_ = nullptr;
  const AiRoutes* ai_ = nullptr;
  RoomAi* room_ai_ = nullptr;  // answers @ai in rooms; nullptr: never
  const Seed003Routes* seed003_ = nullptr;
  const MessageRoutes* messages_ = nullptr;
  const AuthRoutes* accounts_ = nullptr;
  const AdminRoutes* admin_ = nullptr;
  const auth::Authenticator* auth_ = nullptr;
};

}  // namespace parley::api
