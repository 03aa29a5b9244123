// AdminRoutes: moderation for the server's operator (docs/security.md, "Moderation";
// docs/protocol.md, "Admin API").
//
//   GET /api/admin/rooms         live rooms: name, member users, sockets, last seq
//   GET /api/admin/connections   open connections on every shard: id, ip, user, rooms,
//                                opened at
//
// Every request carries the admin key as `Authorization: Bearer KEY`. The key from
// admin.key is kept only as its SHA-256 and compared in constant time; it is never logged.
// With no admin.key every /api/admin/* route answers 404 admin_disabled; a missing or wrong
// key answers 401 admin_unauthorized.
//
// Thread: Handle runs on the request's shard thread; listings gather from every shard and
// answer on that shard later. Stateless past its settings and the key's digest, so one
// instance serves every shard; the settings and what they point to outlive it.
#pragma once

#include <array>
#include <cstdint>

#include "base/config.h"
#include "net/connection.h"
#include "room/chat_service.h"

namespace parley::api {

struct AdminSettings {
  const Config* config = nullptr;
  room::ChatService* chat = nullptr;
};

class AdminRoutes {
 public:
  explicit AdminRoutes(const AdminSettings& settings);

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

 private:
  // True when the request carries the admin key; otherwise answers it and returns false.
  bool Authorized(net::Connection& c, const net::HttpRequest& req) const;
  void Rooms(net::Connection& c) const;
  void Connections(net::Connection& c) const;

  const AdminSettings& settings_;
  bool enabled_ = false;
  std::array<uint8_t, 32> key_digest_{};
};

}  // namespace parley::api
