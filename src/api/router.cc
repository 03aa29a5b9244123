#include "api/router.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/admin_routes.h"
#include "api/ai_routes.h"
#include "api/auth_routes.h"
#include "api/chat_socket.h"
#include "api/guard_routes.h"
#include "api/history_page.h"
#include "api/http_answer.h"
#include "api/match_routes.h"
#include "api/message_routes.h"
#include "api/native_socket.h"
#include "api/room_ai.h"
#include "api/seed003_routes.h"
#include "api/upload_routes.h"
#include "api/validation.h"
#include "base/metrics.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"
#include "web/assets.h"

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.0.0"
#endif

namespace parley::api {
Router::Router(const Config& config, room::ChatService& chat, const net::NetStats& stats,
               std::chrono::steady_clock::time_point started)
    : config_(config), chat_(chat), stats_(stats), started_(started) {}

void Router::OnRequest(net::Connection& c, net::HttpRequest& req) {
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (guard_ != nullptr && guard_->Handle(c, req)) return;
  if (seed003_ != nullptr && seed003_->Handle(c, req)) return;
  if (match_ != nullptr && match_->Handle(c, req)) return;
  if (uploads_ != nullptr && uploads_->Handle(c, req)) return;
  if (ai_ != nullptr && ai_->Handle(c, req)) return;
  if (messages_ != nullptr && messages_->Handle(c, req)) return;
  if (accounts_ != nullptr && accounts_->Handle(c, req)) return;
  if (admin_ != nullptr && admin_->Handle(c, req)) return;
  if (req.path == "/ws" || req.path == "/v1/ws") return WebSocket(c, req);
  if (req.path == "/metrics") {
    if (!get) return c.Respond(ErrorAnswer(ErrorCode::kMethodNotAllowed, "Use GET for /metrics."));
    return c.Respond(net::HttpResponse{.status = 200,
                                       .content_type = "text/plain; version=0.0.4",
                                       .body = metrics::Default().Render(),
                                       .cache_control = "no-store"});
  }
  if (req.path.starts_with("/api/")) {
    if (req.path != "/api/health" && req.path != "/api/users" && req.path != "/api/history" &&
        req.path != "/api/search") {
      return c.Respond(ErrorAnswer(ErrorCode::kNotFound, "No such API route: " + req.path));
    }
    if (!get)
      return c.Respond(ErrorAnswer(ErrorCode::kMethodNotAllowed, "Use GET for " + req.path + "."));
    if (req.path == "/api/health") return Health(c);
    if (req.path == "/api/users") return Users(c, req);
    if (req.path == "/api/search") return Search(c, req);
    return History(c, req);
  }
  if (!get) return c.Respond(ErrorAnswer(ErrorCode::kMethodNotAllowed, "Use GET for pages."));
  Static(c, req);
}

void Router::WebSocket(net::Connection& c, net::HttpRequest& req) {
  if (!req.websocket_upgrade) {
    // RFC 6455 4.2.2: a version-13 handshake with a bad part is a 400; anything else is
    // told which version to upgrade with.
    auto version = req.Header("Sec-WebSocket-Version");
    if (req.Header("Upgrade") && version && *version == "13") {
      return c.Respond(ErrorAnswer(ErrorCode::kBadRequest,
                                   "Invalid WebSocket handshake: it needs GET, Connection: Upgrade "
                                   "and a Sec-WebSocket-Key of 16 base64-encoded bytes."));
    }
    auto r = ErrorAnswer(ErrorCode::kBadRequest,
                         "This endpoint speaks WebSocket (version 13): send an upgrade request.");
    r.status = 426;
    r.extra_headers = "Sec-WebSocket-Version: 13\r\n";
    return c.Respond(std::move(r));
  }
  auth::Identity who;
  if (auth_ != nullptr) {
    auto r = auth_->Authenticate(req);
    if (!r.ok()) return c.Respond(ErrorAnswer(r.status()));
    who = std::move(r).value();
  }
  // An authenticated user's name is theirs; ?username= is only a self-chosen name, and
  // every message the socket sends is authored by this name, never by a payload field.
  const std::string username =
      who.is_user() ? who.user_id : std::string(req.Query("username").value_or(""));
  Status st = ValidateUsername(username, config_.limits.max_username_chars);
  if (!st.ok()) return c.Respond(ErrorAnswer(st));
  guard::RateLimiter* limiter = guard_ != nullptr ? &guard_->limiter() : nullptr;
  c.set_user(username);
  if (req.path == "/v1/ws") {
    return c.Upgrade(req, std::make_unique<NativeSocket>(chat_, config_.limits, username, limiter,
                                                         auth_, std::move(who), room_ai_));
  }
  const std::string room(req.Query("room").value_or("general"));
  if (st = ValidateRoom(room, config_.limits.max_room_chars); !st.ok())
    return c.Respond(ErrorAnswer(st));
  if (auth_ != nullptr) {
    if (st = auth_->CheckRoom(who, room); !st.ok()) return c.Respond(ErrorAnswer(st));
  }
  c.Upgrade(req, std::make_unique<ChatSocket>(chat_, room, username,
                                              config_.limits.max_message_bytes, limiter, room_ai_));
}

void Router::Health(net::Connection& c) {
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  const std::string body =
      EncodeHealth(HealthInfo{.version = PARLEY_VERSION,
                              .uptime_seconds = uptime.count(),
                              .connections = stats_.connections.load(std::memory_order_relaxed),
                              .websockets = stats_.websockets.load(std::memory_order_relaxed),
                              .rooms = chat_.live_rooms()});
  c.Respond(JsonAnswer(body));
}

void Router::Users(net::Connection& c, const net::HttpRequest& req) {
  auto readable = ReadableRoom(req, auth_, config_.limits);
  if (!readable.ok()) return c.Respond(ErrorAnswer(readable.status()));
  const std::string& room = *readable;
  chat_.Users(room, [room, respond = AnswerLater(c)](std::vector<std::string> users, int count) {
    respond(JsonAnswer(EncodeUsers(room, users, count)));
  });
}

void Router::History(net::Connection& c, const net::HttpRequest& req) {
  auto room = ReadableRoom(req, auth_, config_.limits);
  if (!room.ok()) return c.Respond(ErrorAnswer(room.status()));
  auto page = ParseHistoryPage(req, config_);
  if (!page.ok()) return c.Respond(ErrorAnswer(page.status()));
  chat_.History(*room, page->before, page->after, page->limit,
                [respond = AnswerLater(c)](Result<std::vector<StoredMessage>> r) {
                  if (!r.ok()) {
                    return respond(ErrorAnswer(ErrorCode::kUnavailable,
                                               "History is unavailable right now; try again."));
                  }
                  respond(JsonAnswer(EncodeHistoryArray(r.value())));
                });
}

void Router::Search(net::Connection& c, const net::HttpRequest& req) {
  auto readable = ReadableRoom(req, auth_, config_.limits);
  if (!readable.ok()) return c.Respond(ErrorAnswer(readable.status()));
  const std::string& room = *readable;
  const std::string q(req.Query("q").value_or(""));
  if (q.find_first_not_of(" \t\r\n") == std::string::npos) {
    return c.Respond(
        ErrorAnswer(ErrorCode::kInvalidField, "Query parameter 'q' needs some words."));
  }
  if (q.size() > static_cast<size_t>(config_.limits.max_message_bytes)) {
    return c.Respond(ErrorAnswer(
        ErrorCode::kInvalidField,
        fmt::format("Query parameter 'q' is at most {} bytes.", config_.limits.max_message_bytes)));
  }
  auto limit = QueryInt(req, "limit");
  if (!limit.ok()) return c.Respond(ErrorAnswer(limit.status()));
  auto before = QueryInt(req, "before");
  if (!before.ok()) return c.Respond(ErrorAnswer(before.status()));
  // Overflow rule: as for history, a limit above the largest page is clamped to it.
  const int page = static_cast<int>(
      std::clamp<int64_t>(limit->value_or(20), 1, config_.limits.max_history_page));
  // One more than asked, to tell whether another page exists.
  chat_.Search(
      SearchQuery{.room = room, .text = q, .limit = page + 1, .before_seq = before->value_or(0)},
      [page, respond = AnswerLater(c)](Result<std::vector<StoredMessage>> r) {
        if (!r.ok()) {
          if (r.status().code() == ErrorCode::kInvalidField) {
            return respond(ErrorAnswer(r.status()));
          }
          return respond(
              ErrorAnswer(ErrorCode::kUnavailable, "Search is unavailable right now; try again."));
        }
        auto& found = r.value();
        const bool more = static_cast<int>(found.size()) > page;
        if (more) found.resize(static_cast<size_t>(page));
        respond(JsonAnswer(EncodeSearchResults(found, more)));
      });
}

void Router::Static(net::Connection& c, const net::HttpRequest& req) {
  const web::Asset* asset = web::FindAsset(req.path);
  if (asset == nullptr)
    return c.Respond(ErrorAnswer(ErrorCode::kNotFound, "No such page: " + req.path));
  net::HttpResponse r{.status = 200,
                      .content_type = asset->content_type,
                      .etag = asset->etag,
                      .cache_control = "no-cache"};
  if (auto inm = req.Header("If-None-Match"); inm && *inm == asset->etag) {
    r.status = 304;
  } else {
    r.body = std::string(asset->body);
  }
  c.Respond(std::move(r));
}

}  // namespace parley::api
