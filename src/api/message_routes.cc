#include "api/message_routes.h"

#include <fmt/format.h>

#include "api/guard_routes.h"
#include "api/history_page.h"
#include "api/http_answer.h"
#include "api/message_request.h"
#include "api/validation.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"
#include "protocol/rest_json.h"

namespace parley::api {
namespace {

net::HttpResponse MethodNotAllowed(std::string_view allow, std::string_view path) {
  net::HttpResponse r =
      ErrorAnswer(ErrorCode::kMethodNotAllowed, fmt::format("Use {} for {}.", allow, path));
  r.extra_headers =
      allow == "PUT" ? "Allow: PUT, OPTIONS\r\n" : "Allow: GET, HEAD, POST, OPTIONS\r\n";
  return r;
}

}  // namespace

bool MessageRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  if (req.path == "/api/messages") {
    if (req.method == "GET" || req.method == "HEAD") {
      List(c, req);
    } else if (req.method == "POST") {
      Post(c, req);
    } else {
      c.Respond(MethodNotAllowed("GET or POST", req.path));
    }
    return true;
  }
  if (!req.path.starts_with("/api/messages/")) return false;
  auto id = ReactPathId(req.path);
  if (!id) {
    c.Respond(ErrorAnswer(ErrorCode::kNotFound, "No such API route: " + req.path));
  } else if (req.method != "PUT") {
    c.Respond(MethodNotAllowed("PUT", req.path));
  } else {
    React(c, req, std::string(*id));
  }
  return true;
}

void MessageRoutes::List(net::Connection& c, const net::HttpRequest& req) const {
  auto room = ReadableRoom(req, settings_.auth, settings_.config->limits);
  if (!room.ok()) return c.Respond(ErrorAnswer(room.status()));
  auto page = ParseHistoryPage(req, *settings_.config);
  if (!page.ok()) return c.Respond(ErrorAnswer(page.status()));
  settings_.chat->History(
      *room, page->before, page->after, page->limit,
      [room = *room, respond = AnswerLater(c)](Result<std::vector<StoredMessage>> r) {
        if (!r.ok()) {
          return respond(
              ErrorAnswer(ErrorCode::kUnavailable, "History is unavailable right now; try again."));
        }
        const auto& page = r.value();
        const bool more = !page.empty() && page.front().seq > 1;
        respond(net::HttpResponse{.status = 200,
                                  .body = EncodeRestMessagePage(room, page, more),
                                  .cache_control = "no-store"});
      });
}

Result<std::string> MessageRoutes::Author(const net::HttpRequest& req, std::string_view chosen,
                                          std::string_view room) const {
  auth::Identity who;
  if (settings_.auth != nullptr) {
    // As on a socket upgrade: a required API key must be there, a user credential must verify.
    auto r = settings_.auth->Authenticate(req);
    if (!r.ok()) return r.status();
    who = std::move(r).value();
  }
  // An authenticated user's name is theirs, whatever the body says; `username` is only a
  // name an anonymous caller chooses, exactly like the socket's ?username=.
  std::string name = who.is_user() ? who.user_id : std::string(chosen);
  if (Status st = ValidateUsername(name, settings_.config->limits.max_username_chars); !st.ok()) {
    return st;
  }
  if (settings_.auth != nullptr) {
    if (Status st = settings_.auth->CheckRoom(who, room); !st.ok()) return st;
  }
  return name;
}

bool MessageRoutes::WithinRate(net::Connection& c, std::string_view author) const {
  if (settings_.limiter == nullptr) return true;
  const guard::RateDecision d =
      settings_.limiter->Take(guard::Action::kMessage, {.user = author, .ip = c.remote_ip()});
  if (d.allowed()) return true;
  const int64_t secs = RetryAfterSeconds(d.retry_after_ms);
  c.AddResponseHeaders(fmt::format("Retry-After: {}\r\n", secs));
  c.Respond(
      ErrorAnswer(ErrorCode::kRateLimited,
                  fmt::format("Too many message requests; retry in {} ms.", d.retry_after_ms)));
  return false;
}

void MessageRoutes::Post(net::Connection& c, const net::HttpRequest& req) const {
  auto body =
      ParsePostMessageBody(req.body, settings_.config->limits, req.Header("Idempotency-Key"));
  if (!body.ok()) return c.Respond(ErrorAnswer(body.status()));
  auto author = Author(req, body->username, body->room);
  if (!author.ok()) return c.Respond(ErrorAnswer(author.status()));
  if (!WithinRate(c, *author)) return;
  settings_.chat->PostAs(
      body->room, *author,
      room::PostRequest{std::move(body->text), std::move(body->client_id),
                        std::move(body->reply_to), std::move(body->image_url)},
      [respond = AnswerLater(c)](Result<room::RoomAnswer> r) {
        if (!r.ok()) return respond(ErrorAnswer(r.status()));
        respond(net::HttpResponse{
            .status = 201,
            .body = EncodeRestMessage(r->message),
            .cache_control = "no-store",
            .extra_headers = r->duplicate ? "Idempotent-Replayed: true\r\n" : std::string_view()});
      });
}

void MessageRoutes::React(net::Connection& c, const net::HttpRequest& req,
                          std::string message_id) const {
  auto body = ParseReactBody(req.body, settings_.config->limits);
  if (!body.ok()) return c.Respond(ErrorAnswer(body.status()));
  auto author = Author(req, body->username, body->room);
  if (!author.ok()) return c.Respond(ErrorAnswer(author.status()));
  std::string emoji = body->emoji;
  settings_.chat->ReactAs(
      body->room, *author, std::move(message_id), std::move(body->emoji),
      [respond = AnswerLater(c), emoji = std::move(emoji),
       who = *author](Result<room::RoomAnswer> r) {
        if (!r.ok()) return respond(ErrorAnswer(r.status()));
        respond(net::HttpResponse{.status = 200,
                                  .body = EncodeReaction(r->message, emoji, who, r->added),
                                  .cache_control = "no-store"});
      });
}

}  // namespace parley::api
