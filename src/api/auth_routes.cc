#include "api/auth_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "api/guard_routes.h"
#include "api/http_answer.h"
#include "auth/api_keys.h"
#include "auth/cookie.h"
#include "auth/credentials.h"
#include "base/log.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/json_writer.h"

namespace parley::api {
namespace {

constexpr std::string_view kPrefix = "/api/auth/";

void WriteUser(JsonWriter& w, const auth::AccountProfile& p) {
  w.BeginObject().Key("id").String(p.id).Key("username").String(p.username);
  w.Key("displayName").String(p.display_name).Key("avatarUrl").String(p.avatar_url);
  w.Key("createdAt").Int(p.created_at_ms).EndObject();
}

std::string UserBody(const auth::AccountProfile& p) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("user");
  WriteUser(w, p);
  w.EndObject();
  return out;
}

std::string SignedInBody(const auth::SignedIn& s) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("token").String(s.token).Key("expiresAt").Int(s.expires_at_ms);
  w.Key("user");
  WriteUser(w, s.profile);
  w.EndObject();
  return out;
}

// Answers `c` from the accounts thread: posts the response (and its Set-Cookie, if any)
// to the connection's shard, where it is sent if the connection is still there.
auto Reply(net::Connection& c) {
  return [shard = net::Shard::Current(), id = c.id()](net::HttpResponse r,
                                                      std::string set_cookie = {}) {
    shard->Post([shard, id, r = std::move(r), set_cookie = std::move(set_cookie)]() mutable {
      net::Connection* conn = shard->FindConnection(id);
      if (conn == nullptr) return;
      if (!set_cookie.empty()) conn->AddResponseHeaders("Set-Cookie: " + set_cookie + "\r\n");
      conn->Respond(std::move(r));
    });
  };
}

std::string ClearCookie(bool secure) {
  return auth::FormatSetCookie({.value = "", .max_age_s = 0, .secure = secure});
}

}  // namespace

bool AuthRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  if (!req.path.starts_with(kPrefix)) return false;
  if (!settings_.enabled) {
    c.Respond(ErrorAnswer(ErrorCode::kAccountsDisabled,
                          "Accounts are off on this server (auth.accounts = false)."));
    return true;
  }
  const std::string_view route = std::string_view(req.path).substr(kPrefix.size());
  auto only = [&](std::string_view method) {
    if (req.method == method) return true;
    c.Respond(
        ErrorAnswer(ErrorCode::kMethodNotAllowed, fmt::format("Use {} for {}.", method, req.path)));
    return false;
  };
  if (route == "register") {
    if (only("POST")) SignIn(c, req, /*create=*/true);
  } else if (route == "login") {
    if (only("POST")) SignIn(c, req, /*create=*/false);
  } else if (route == "logout") {
    if (only("POST")) Logout(c, req);
  } else if (route == "me") {
    if (req.method == "GET" || req.method == "HEAD") {
      Me(c, req);
    } else if (only("PUT")) {
      UpdateMe(c, req);
    }
  } else {
    c.Respond(ErrorAnswer(ErrorCode::kNotFound, "No such API route: " + req.path));
  }
  return true;
}

bool AuthRoutes::Secure(const net::HttpRequest& req) const {
  if (settings_.always_secure) return true;
  // Only adds Secure: a client lying about https merely loses its own cookie.
  auto proto = req.Header("X-Forwarded-Proto");
  return proto && *proto == "https";
}

Result<auth::AccountProfile> AuthRoutes::Session(const net::HttpRequest& req) const {
  const auth::Credentials creds = auth::ReadCredentials(req);
  if (creds.session.empty()) {
    return Status(ErrorCode::kNotAuthenticated,
                  "Sign in first: send the parley_session cookie or Authorization: Bearer.");
  }
  return settings_.sessions->Find(auth::Sha256(creds.session), settings_.clock->NowMs());
}

void AuthRoutes::SignIn(net::Connection& c, const net::HttpRequest& req, bool create) const {
  auto body = ParseCredentialsRequest(req.body, settings_.limits, create);
  if (!body.ok()) return c.Respond(ErrorAnswer(body.status()));
  if (settings_.limiter != nullptr) {
    // Per username (any letter case: the same account) and per IP, before any hashing.
    std::string key = body->username;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    const guard::RateDecision d =
        settings_.limiter->Take(guard::Action::kLogin, {.user = key, .ip = c.remote_ip()});
    if (!d.allowed()) {
      const int64_t secs = RetryAfterSeconds(d.retry_after_ms);
      c.AddResponseHeaders(fmt::format("Retry-After: {}\r\n", secs));
      return c.Respond(ErrorAnswer(ErrorCode::kRateLimited,
                                   fmt::format("Too many sign-in attempts; retry in {} s.", secs)));
    }
  }
  auth::Accounts* accounts = settings_.accounts;
  const bool secure = Secure(req);
  const int64_t max_age = settings_.session_ttl_s;
  const bool queued = settings_.worker->Submit(
      [accounts, create, secure, max_age, body = std::move(body).value(), reply = Reply(c)] {
        auto r = create ? accounts->Register(body.username, body.password, body.display_name,
                                             body.avatar_url)
                        : accounts->Login(body.username, body.password);
        if (!r.ok()) return reply(ErrorAnswer(r.status()));
        PARLEY_LOG_INFO("account_signed_in id={} new={}", r->profile.id, create);
        reply(JsonAnswer(SignedInBody(*r)),
              auth::FormatSetCookie({.value = r->token, .max_age_s = max_age, .secure = secure}));
      });
  if (!queued) {
    c.Respond(ErrorAnswer(ErrorCode::kUnavailable, "Too many sign-ins are waiting; try again."));
  }
}

void AuthRoutes::Logout(net::Connection& c, const net::HttpRequest& req) const {
  const auth::Credentials creds = auth::ReadCredentials(req);
  const bool secure = Secure(req);
  if (creds.session.empty()) {
    c.AddResponseHeaders("Set-Cookie: " + ClearCookie(secure) + "\r\n");
    return c.Respond(ErrorAnswer(ErrorCode::kNotAuthenticated, "There is no session to end."));
  }
  auth::Accounts* accounts = settings_.accounts;
  const bool queued =
      settings_.worker->Submit([accounts, secure, token = creds.session, reply = Reply(c)] {
        Status st = accounts->Logout(token);
        // The cookie goes either way: a session parley does not know is no use to keep.
        if (!st.ok() && st.code() != ErrorCode::kSessionInvalid) return reply(ErrorAnswer(st));
        reply(st.ok() ? JsonAnswer(R"({"ok":true})") : ErrorAnswer(st), ClearCookie(secure));
      });
  if (!queued) {
    c.Respond(ErrorAnswer(ErrorCode::kUnavailable, "Too many requests are waiting; try again."));
  }
}

void AuthRoutes::Me(net::Connection& c, const net::HttpRequest& req) const {
  auto who = Session(req);
  if (!who.ok()) return c.Respond(ErrorAnswer(who.status()));
  c.Respond(JsonAnswer(UserBody(*who)));
}

void AuthRoutes::UpdateMe(net::Connection& c, const net::HttpRequest& req) const {
  auto who = Session(req);
  if (!who.ok()) return c.Respond(ErrorAnswer(who.status()));
  auto body = ParseProfileRequest(req.body, settings_.limits);
  if (!body.ok()) return c.Respond(ErrorAnswer(body.status()));
  auth::Accounts* accounts = settings_.accounts;
  const bool queued = settings_.worker->Submit([accounts, id = who->id, name = body->display_name,
                                                avatar = body->avatar_url, reply = Reply(c)] {
    auto p = accounts->UpdateProfile(id, name, avatar);
    if (!p.ok()) return reply(ErrorAnswer(p.status()));
    reply(JsonAnswer(UserBody(*p)));
  });
  if (!queued) {
    c.Respond(ErrorAnswer(ErrorCode::kUnavailable, "Too many requests are waiting; try again."));
  }
}

}  // namespace parley::api
