#include "api/match_routes.h"

#include <algorithm>
#include <string>

#include "api/match_pair_socket.h"
#include "api/match_socket.h"
#include "auth/credentials.h"
#include "net/shard.h"
#include "protocol/chat_json.h"

namespace parley::api {
namespace {

net::HttpResponse MatchError(const Status& st) {
  return net::HttpResponse{.status = Describe(st.code()).http_status,
                           .body = match::EncodeMatchError(st.wire_name(), st.message()),
                           .cache_control = "no-store"};
}

net::HttpResponse PlainError(ErrorCode code, std::string message) {
  return net::HttpResponse{.status = Describe(code).http_status,
                           .body = EncodeErrorBody(Describe(code).wire_name, message)};
}

// Percent-encodes everything but RFC 3986 unreserved characters.
void AppendQueryValue(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : v) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
}

// "https://host" -> "wss://host", "http://host" -> "ws://host"; ws(s) stays.
std::string WsBase(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  if (url.starts_with("https://")) return "wss://" + std::string(url.substr(8));
  if (url.starts_with("http://")) return "ws://" + std::string(url.substr(7));
  return std::string(url);
}

bool HasUserToken(const net::HttpRequest& req) { return !auth::ReadCredentials(req).token.empty(); }

}  // namespace

bool MatchRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  if (req.path == "/api/match") {
    if (req.method != "POST") {
      c.Respond(MatchError(Status(ErrorCode::kMethodNotAllowed, "Use POST for /api/match.")));
    } else {
      Match(c, req);
    }
    return true;
  }
  if (req.path == "/chat") {
    Chat(c, req);
    return true;
  }
  // /ws with a username is the seed 004 room chat; without one it is the seed 001 socket.
  // A room without a username is a room client that forgot its name: the chat route
  // answers it (400 invalid_username).
  // A token names a user, so /ws with one is the room chat (the token gives the name).
  if (req.path == "/ws" && !req.Query("username") && !req.Query("room") && !HasUserToken(req) &&
      req.websocket_upgrade) {
    bool key_on_upgrade = false;
    if (settings_.auth != nullptr) {
      // The key may come later, as the seed's auth message; a wrong one is refused now.
      auto who = settings_.auth->Authenticate(req, /*key_may_follow=*/true);
      if (!who.ok()) {
        c.Respond(PlainError(who.status().code(), who.status().message()));
        return true;
      }
      key_on_upgrade = !who->app.empty();
    }
    if (settings_.make_search_socket) {
      c.Upgrade(req, settings_.make_search_socket(key_on_upgrade));
    } else {
      c.Upgrade(req, std::make_unique<SearchSocket>(settings_, key_on_upgrade));
    }
    return true;
  }
  return false;
}

std::string MatchRoutes::WsUrl(const net::HttpRequest& req, const match::Pairing& p,
                               std::string_view user_id, std::string_view user_name) const {
  std::string url;
  if (!settings_.public_url.empty()) {
    url = WsBase(settings_.public_url);
  } else if (auto host = req.Header("Host"); host && !host->empty()) {
    auto proto = req.Header("X-Forwarded-Proto");
    url = (proto && *proto == "https" ? "wss://" : "ws://") + std::string(*host);
  }
  url += "/chat?sessionId=";
  AppendQueryValue(url, p.session_id);
  url += "&userId=";
  AppendQueryValue(url, user_id);
  url += "&userName=";
  AppendQueryValue(url, user_name);
  url += "&ticket=";
  url += settings_.signer->Sign(p.session_id, user_id);
  return url;
}

void MatchRoutes::Match(net::Connection& c, const net::HttpRequest& req) const {
  auto seeker = match::DecodeMatchRequest(req.body, settings_.rules);
  if (!seeker.ok()) return c.Respond(MatchError(seeker.status()));
  if (int64_t wait =
          settings_.Throttle(guard::Action::kMatch, nullptr, seeker->user_id, c.remote_ip());
      wait > 0) {
    const int64_t secs = std::max<int64_t>(1, (wait + 999) / 1000);
    c.AddResponseHeaders("Retry-After: " + std::to_string(secs) + "\r\n");
    return c.Respond(
        MatchError(Status(ErrorCode::kRateLimited,
                          "Too many match requests; retry in " + std::to_string(secs) + " s.")));
  }
  const std::string user_id = seeker->user_id;
  const std::string user_name = seeker->user_name;
  // The request dies with this call; the answer needs only what builds the wsUrl.
  net::HttpRequest url_parts;
  url_parts.headers = req.headers;
  settings_.service->Request(
      std::move(seeker.value()),
      [this, shard = net::Shard::Current(), id = c.id(), url_parts = std::move(url_parts), user_id,
       user_name](match::Outcome out) {
        net::Connection* conn = shard->FindConnection(id);
        if (conn == nullptr) {
          // Matched, but nobody is left to hear it: the partner must not wait.
          if (out.kind == match::Outcome::Kind::kMatched) {
            settings_.service->Abandon(out.pairing.session_id, user_id);
          }
          return;
        }
        switch (out.kind) {
          case match::Outcome::Kind::kRejected:
            return conn->Respond(MatchError(out.status));
          case match::Outcome::Kind::kWaiting:
            return conn->Respond(net::HttpResponse{.body = match::EncodeMatchWaiting(out.queue_key),
                                                   .cache_control = "no-store"});
          case match::Outcome::Kind::kMatched:
            return conn->Respond(net::HttpResponse{
                .body = match::EncodeMatchFound(out.pairing,
                                                WsUrl(url_parts, out.pairing, user_id, user_name)),
                .cache_control = "no-store"});
        }
      });
}

void MatchRoutes::Chat(net::Connection& c, const net::HttpRequest& req) const {
  if (!req.websocket_upgrade) {
    auto r = PlainError(ErrorCode::kBadRequest,
                        "/chat speaks WebSocket (version 13): send an upgrade request.");
    r.status = 426;
    r.extra_headers = "Sec-WebSocket-Version: 13\r\n";
    return c.Respond(std::move(r));
  }
  const std::string session(req.Query("sessionId").value_or(""));
  const std::string user_id(req.Query("userId").value_or(""));
  const std::string user_name(req.Query("userName").value_or(""));
  const int max = settings_.rules.max_field_chars;
  Status st = match::CheckField(user_id, "userId", max);
  if (st.ok()) st = match::CheckField(user_name, "userName", max);
  if (st.ok()) st = match::CheckField(session, "sessionId", 3 * max + 8);
  if (!st.ok()) return c.Respond(PlainError(st.code(), st.message()));
  if (!settings_.signer->Verify(session, user_id, req.Query("ticket").value_or(""))) {
    return c.Respond(PlainError(ErrorCode::kNotMatched,
                                "This user is not part of this chat (missing or wrong ticket)."));
  }
  c.Upgrade(req, std::make_unique<PairSocket>(settings_, session, user_id));
}

}  // namespace parley::api
