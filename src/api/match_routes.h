// MatchRoutes: the HTTP side of the random 1:1 chat. POST /api/match (seed 000), the
// upgrade of GET /chat into a pair room, and GET /ws without username and room (seed 001's
// JSON socket; /ws with either stays the seed 004 chat). Stateless past its settings, so
// one instance serves every shard.
#pragma once

#include "api/match_settings.h"
#include "net/connection.h"

namespace parley::api {

class MatchRoutes {
 public:
  explicit MatchRoutes(const MatchSettings& settings) : settings_(settings) {}

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

  // The wsUrl a matched user connects to (public_url or the request's Host).
  std::string WsUrl(const net::HttpRequest& req, const match::Pairing& p, std::string_view user_id,
                    std::string_view user_name) const;

 private:
  void Match(net::Connection& c, const net::HttpRequest& req) const;
  void Chat(net::Connection& c, const net::HttpRequest& req) const;

  const MatchSettings& settings_;
};

}  // namespace parley::api
