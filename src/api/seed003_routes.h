// Seed003Routes: seed 003's HTTP side. POST /visitors/add and /visitors/remove, GET
// /stats/domain/:domainId (visitor analytics), GET / negotiated on Accept (a browser asking
// for text/html gets the landing page, anyone else the health JSON seed 003 documents), and
// the upgrade of GET /ws without username and room into the socket seed 001 and seed 003
// share (seed003_socket.h). Stateless past its settings, so one instance serves every shard.
#pragma once

#include "api/seed003_settings.h"
#include "net/connection.h"

namespace parley::api {

class Seed003Routes {
 public:
  explicit Seed003Routes(const Seed003Settings& settings) : settings_(settings) {}

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

 private:
  void Root(net::Connection& c, const net::HttpRequest& req) const;
  void AddVisitor(net::Connection& c, const net::HttpRequest& req) const;
  void RemoveVisitor(net::Connection& c, const net::HttpRequest& req) const;
  void Stats(net::Connection& c, std::string_view domain) const;

  const Seed003Settings& settings_;
};

// Ok, or ip_domain_limit when the peer `ip` may not add visitors to one more domain
// (settings.ip_domains; loopback exempt with settings.exempt_loopback). Used by
// POST /visitors/add and the socket's visitor-joined-domain. Any shard thread.
Status AdmitVisitorDomain(const Seed003Settings& settings, std::string_view ip,
                          std::string_view domain);

// True when an Accept header value lists text/html (what browsers send for a page).
bool AcceptsHtml(std::string_view accept);

}  // namespace parley::api
