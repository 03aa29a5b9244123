// AuthRoutes: parley's built-in accounts over HTTP.
//
//   POST /api/auth/register {username, password, displayName?, avatarUrl?}
//   POST /api/auth/login    {username, password}
//   POST /api/auth/logout
//   GET  /api/auth/me
//   PUT  /api/auth/me       {displayName?, avatarUrl?}
//
// A successful register or login answers {token, expiresAt, user} and sets the
// parley_session cookie (HttpOnly, SameSite=Lax, Path=/, Secure over https). Later
// requests present the session as that cookie or as Authorization: Bearer <token>.
//
// Thread: Handle runs on the request's shard thread. Parsing, validation, the rate limit
// and session lookups (SessionTable) happen there; hashing and SQLite run on the accounts
// worker (auth/accounts.h) and the answer is posted back to the connection's shard.
// Stateless past its settings, so one instance serves every shard; everything the
// settings point to outlives it.
#pragma once

#include "api/auth_request.h"
#include "auth/accounts.h"
#include "auth/session_table.h"
#include "base/clock.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"
#include "upload/worker.h"

namespace parley::api {

struct AuthRouteSettings {
  bool enabled = false;                // auth.accounts; false answers accounts_disabled
  auth::Accounts* accounts = nullptr;  // used on `worker` only
  upload::Worker* worker = nullptr;    // the accounts thread
  const auth::SessionTable* sessions = nullptr;
  guard::RateLimiter* limiter = nullptr;  // null: no login rate limit
  const Clock* clock = nullptr;
  AccountLimits limits{};
  int64_t session_ttl_s = 2592000;
  bool always_secure = false;  // auth.public_url is https://
};

class AuthRoutes {
 public:
  explicit AuthRoutes(const AuthRouteSettings& settings) : settings_(settings) {}

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

 private:
  void SignIn(net::Connection& c, const net::HttpRequest& req, bool create) const;
  void Logout(net::Connection& c, const net::HttpRequest& req) const;
  void Me(net::Connection& c, const net::HttpRequest& req) const;
  void UpdateMe(net::Connection& c, const net::HttpRequest& req) const;
  // The request's live session; not_authenticated without one.
  Result<auth::AccountProfile> Session(const net::HttpRequest& req) const;
  bool Secure(const net::HttpRequest& req) const;

  const AuthRouteSettings& settings_;
};

}  // namespace parley::api
