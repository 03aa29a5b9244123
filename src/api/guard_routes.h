// GuardRoutes: what parley checks on every HTTP request before routing it (docs/security.md):
//
// - A WebSocket upgrade whose Origin is not allowed (guard::OriginPolicy) gets HTTP 403
//   origin_not_allowed: a page on another site cannot ride a visitor's browser into a
//   socket (cross-site WebSocket hijacking). An upgrade without Origin is not a browser
//   (native apps, bots, curl) and is allowed; such clients are limited by the rate and
//   connection caps instead.
// - /api/*: OPTIONS is a CORS preflight, answered 204 with Access-Control-Allow-* for an
//   allowed Origin and 403 origin_not_allowed otherwise. Other methods from an allowed
//   Origin get Access-Control-Allow-Origin; a non-GET from a foreign Origin is refused 403
//   before it can change anything. Each /api/* call takes a token from the caller's IP
//   bucket for the "http" action: over it, HTTP 429 rate_limited with Retry-After.
// - Pages (everything else answered over plain HTTP) get the security headers: a
//   Content-Security-Policy without inline script, frame-ancestors 'none',
//   X-Frame-Options: DENY, Referrer-Policy: no-referrer (X-Content-Type-Options: nosniff
//   is on every response already).
//
// Stateless past its references, so one instance serves every shard; Handle runs on the
// request's shard thread. The limiter and policy outlive it.
#pragma once

#include "guard/origin_policy.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"

namespace parley::api {

class GuardRoutes {
 public:
  // The headers every page carries.
  static constexpr std::string_view kPageHeaders =
      "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
      "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
      "X-Frame-Options: DENY\r\n"
      "Referrer-Policy: no-referrer\r\n";

  GuardRoutes(const guard::OriginPolicy& origins, guard::RateLimiter& limiter)
      : origins_(origins), limiter_(limiter) {}

  // Answers `req` when it is refused or a preflight and returns true; otherwise adds the
  // headers it needs and returns false so routing goes on.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

  guard::RateLimiter& limiter() const { return limiter_; }

 private:
  bool Api(net::Connection& c, net::HttpRequest& req) const;

  const guard::OriginPolicy& origins_;
  guard::RateLimiter& limiter_;
};

// Retry-After seconds for a wait in milliseconds (at least 1).
int64_t RetryAfterSeconds(int64_t retry_after_ms);

}  // namespace parley::api
