#include "api/seed003_routes.h"

#include <algorithm>
#include <cctype>

#include "api/http_answer.h"
#include "api/seed003_socket.h"
#include "guard/rate_limiter.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/seed003_json.h"
#include "visitor/visitor_json.h"
#include "web/assets.h"

namespace parley::api {
namespace {

constexpr std::string_view kStatsPrefix = "/stats/domain/";
// GET / answers differently by Accept, so caches must key on it.
constexpr std::string_view kVaryAccept = "Vary: Accept\r\n";

}  // namespace

bool AcceptsHtml(std::string_view accept) {
  std::string lower(accept);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return lower.find("text/html") != std::string::npos;
}

bool Seed003Routes::Handle(net::Connection& c, net::HttpRequest& req) const {
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (req.path == "/" && get) {
    Root(c, req);
    return true;
  }
  if (req.path == "/visitors/add" || req.path == "/visitors/remove") {
    if (req.method != "POST") {
      c.Respond(
          ErrorAnswer(Status(ErrorCode::kMethodNotAllowed, "Use POST for " + req.path + ".")));
    } else if (req.path == "/visitors/add") {
      AddVisitor(c, req);
    } else {
      RemoveVisitor(c, req);
    }
    return true;
  }
  if (req.path.starts_with(kStatsPrefix)) {
    if (!get) {
      c.Respond(ErrorAnswer(Status(ErrorCode::kMethodNotAllowed, "Use GET for " + req.path + ".")));
    } else {
      Stats(c, std::string_view(req.path).substr(kStatsPrefix.size()));
    }
    return true;
  }
  return false;
}

void Seed003Routes::Root(net::Connection& c, const net::HttpRequest& req) const {
  if (!AcceptsHtml(req.Header("Accept").value_or(""))) {
    auto r = JsonAnswer(EncodeRootHealth(settings_.version, settings_.clock->NowMs()));
    r.extra_headers = kVaryAccept;
    return c.Respond(std::move(r));
  }
  const web::Asset* asset = web::FindAsset("/");
  if (asset == nullptr) {
    return c.Respond(ErrorAnswer(Status(ErrorCode::kNotFound, "No landing page is built in.")));
  }
  net::HttpResponse r{.status = 200,
                      .content_type = asset->content_type,
                      .etag = asset->etag,
                      .cache_control = "no-cache",
                      .extra_headers = kVaryAccept};
  if (auto inm = req.Header("If-None-Match"); inm && *inm == asset->etag) {
    r.status = 304;
  } else {
    r.body = std::string(asset->body);
  }
  c.Respond(std::move(r));
}

Status AdmitVisitorDomain(const Seed003Settings& settings, std::string_view ip,
                          std::string_view domain) {
  if (settings.ip_domains == nullptr) return Status::Ok();
  if (settings.exempt_loopback && guard::IsLoopback(ip)) return Status::Ok();
  return settings.ip_domains->Admit(ip, domain, settings.clock->NowMs());
}

void Seed003Routes::AddVisitor(net::Connection& c, const net::HttpRequest& req) const {
  auto body = DecodeVisitorBody(req.body, /*with_data=*/true, settings_.limits);
  if (!body.ok()) return c.Respond(ErrorAnswer(body.status()));
  if (Status st = AdmitVisitorDomain(settings_, c.remote_ip(), body->domain_id); !st.ok()) {
    return c.Respond(ErrorAnswer(st));
  }
  const std::string domain = body->domain_id;
  settings_.visitors->Add(domain, std::move(body->visitor_id), std::move(body->visitor_data),
                          std::move(body->page), std::move(body->user_agent),
                          [domain, respond = AnswerLater(c)](Result<visitor::VisitorChange> r) {
                            if (!r.ok()) return respond(ErrorAnswer(r.status()));
                            respond(JsonAnswer(visitor::EncodeVisitorAdded(domain, *r)));
                          });
}

void Seed003Routes::RemoveVisitor(net::Connection& c, const net::HttpRequest& req) const {
  auto body = DecodeVisitorBody(req.body, /*with_data=*/false, settings_.limits);
  if (!body.ok()) return c.Respond(ErrorAnswer(body.status()));
  settings_.visitors->Remove(body->domain_id, std::move(body->visitor_id),
                             [respond = AnswerLater(c)](Result<visitor::VisitorChange> r) {
                               if (!r.ok()) return respond(ErrorAnswer(r.status()));
                               respond(JsonAnswer(visitor::EncodeVisitorRemoved(*r)));
                             });
}

void Seed003Routes::Stats(net::Connection& c, std::string_view domain) const {
  if (Status st = ValidateDomain(domain, settings_.limits.max_domain_chars); !st.ok()) {
    return c.Respond(ErrorAnswer(st));
  }
  settings_.visitors->Stats(std::string(domain),
                            [respond = AnswerLater(c)](Result<visitor::DomainStats> r) {
                              if (!r.ok()) return respond(ErrorAnswer(r.status()));
                              respond(JsonAnswer(visitor::EncodeDomainStats(*r)));
                            });
}

}  // namespace parley::api
