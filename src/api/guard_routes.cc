#include "api/guard_routes.h"

#include <fmt/format.h>

#include <algorithm>

#include "match/match_json.h"
#include "protocol/chat_json.h"

namespace parley::api {
namespace {

net::HttpResponse Refusal(std::string_view path, ErrorCode code, std::string_view message) {
  const ErrorInfo& info = Describe(code);
  // POST /api/match answers in seed 000's shape, everything else in parley's.
  return net::HttpResponse{.status = info.http_status,
                           .body = path == "/api/match"
                                       ? match::EncodeMatchError(info.wire_name, message)
                                       : EncodeErrorBody(info.wire_name, message),
                           .cache_control = "no-store"};
}

}  // namespace

int64_t RetryAfterSeconds(int64_t retry_after_ms) {
  return std::max<int64_t>(1, (retry_after_ms + 999) / 1000);
}

bool GuardRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  const auto origin = req.Header("Origin");
  const std::string_view host = req.Header("Host").value_or("");
  if (req.websocket_upgrade) {
    if (origin && !origins_.Allows(*origin, host)) {
      c.Respond(Refusal(req.path, ErrorCode::kOriginNotAllowed,
                        "WebSocket connections from this origin are not allowed."));
      return true;
    }
    return false;
  }
  if (req.path.starts_with("/api/")) return Api(c, req);
  c.AddResponseHeaders(kPageHeaders);
  return false;
}

bool GuardRoutes::Api(net::Connection& c, net::HttpRequest& req) const {
  const auto origin = req.Header("Origin");
  const bool allowed = origin && origins_.Allows(*origin, req.Header("Host").value_or(""));
  std::string cors;
  if (allowed) cors = fmt::format("Access-Control-Allow-Origin: {}\r\nVary: Origin\r\n", *origin);
  if (req.method == "OPTIONS") {
    if (!allowed) {
      c.Respond(Refusal(req.path, ErrorCode::kOriginNotAllowed,
                        "Cross-origin requests from this origin are not allowed."));
      return true;
    }
    c.AddResponseHeaders(cors);
    c.Respond(net::HttpResponse{.status = 204,
                                .extra_headers =
                                    "Access-Control-Allow-Methods: GET, POST, PUT, OPTIONS\r\n"
                                    "Access-Control-Allow-Headers: Content-Type, "
                                    "Authorization, Idempotency-Key\r\n"
                                    "Access-Control-Max-Age: 600\r\n"});
    return true;
  }
  if (origin && !allowed && req.method != "GET" && req.method != "HEAD") {
    c.Respond(Refusal(req.path, ErrorCode::kOriginNotAllowed,
                      "Cross-origin requests from this origin are not allowed."));
    return true;
  }
  c.AddResponseHeaders(cors);
  const guard::RateDecision d = limiter_.Take(guard::Action::kHttp, {.ip = c.remote_ip()});
  if (!d.allowed()) {
    const int64_t secs = RetryAfterSeconds(d.retry_after_ms);
    c.AddResponseHeaders(fmt::format("Retry-After: {}\r\n", secs));
    c.Respond(Refusal(req.path, ErrorCode::kRateLimited,
                      fmt::format("Too many requests; retry in {} s.", secs)));
    return true;
  }
  return false;
}

}  // namespace parley::api
