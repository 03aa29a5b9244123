// MessageRoutes: seed 002's REST message API (docs/protocol.md, "REST message API").
//
//   GET  /api/messages?room=&before=&after=&limit=  a page of the room's history, with the
//        paging, limits and read access of GET /api/history (history_page.h)
//   POST /api/messages {room, content|text, clientId?, replyTo?, imageUrl?, username?}
//        posts as the request's author through the room actor, like a socket's `message`:
//        201 with the stored message once it is durable; a retried clientId (or
//        Idempotency-Key) answers the original message, stored once
//   PUT  /api/messages/:id/react {room, emoji, username?}
//        toggles a reaction like a socket's `react`; 200 with the message's reactions
//
// The author is the identity's user (a JWT's sub) whenever the request carries one; with no
// user credential (anonymous mode) it is the body's `username`, held to the rules of the
// socket's ?username=. Writes take the "message" rate bucket of that author and the caller's
// IP, like socket messages (reactions, like the socket's, only the "http" one GuardRoutes
// takes). Bodies are decoded by message_request.h.
//
// Thread: Handle runs on the request's shard thread; rooms answer on that shard later.
// Stateless past its settings, so one instance serves every shard; the settings and what
// they point to outlive it.
#pragma once

#include "auth/authenticator.h"
#include "base/config.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"
#include "room/chat_service.h"

namespace parley::api {

struct MessageSettings {
  const Config* config = nullptr;
  room::ChatService* chat = nullptr;
  guard::RateLimiter* limiter = nullptr;      // null: no rate limits
  const auth::Authenticator* auth = nullptr;  // null: everyone is anonymous, every room open
};

class MessageRoutes {
 public:
  explicit MessageRoutes(const MessageSettings& settings) : settings_(settings) {}

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

 private:
  void List(net::Connection& c, const net::HttpRequest& req) const;
  void Post(net::Connection& c, const net::HttpRequest& req) const;
  void React(net::Connection& c, const net::HttpRequest& req, std::string message_id) const;
  // The author of a write to `room`: the identity's user, else the validated `chosen` name;
  // refused when the credentials are bad or the room is private to others.
  Result<std::string> Author(const net::HttpRequest& req, std::string_view chosen,
                             std::string_view room) const;
  // True when the author may post another message now; otherwise answers 429.
  bool WithinRate(net::Connection& c, std::string_view author) const;

  const MessageSettings& settings_;
};

}  // namespace parley::api
