#include "api/upload_routes.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/guard_routes.h"
#include "api/http_answer.h"
#include "auth/authenticator.h"
#include "base/log.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "upload/multipart.h"

namespace parley::api {
namespace {

constexpr std::string_view kFilesPrefix = "/files/";
// A file never changes under its id, so caches may keep it for good.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// Opened directly, a file is a document that may load nothing and run nothing.
constexpr std::string_view kFileHeaders =
    "Content-Security-Policy: default-src 'none'; sandbox\r\n"
    "Content-Disposition: inline\r\n";

// Answers `c` from any thread: posts the response to the connection's shard, where it is
// sent if the connection is still there. `etag` is kept alive for the response's view.
auto Reply(net::Connection& c) {
  return [shard = net::Shard::Current(), id = c.id()](net::HttpResponse r, std::string etag = {}) {
    shard->Post([shard, id, r = std::move(r), etag = std::move(etag)]() mutable {
      r.etag = etag;
      if (net::Connection* conn = shard->FindConnection(id)) conn->Respond(std::move(r));
    });
  };
}

std::string AllowedList(const std::vector<upload::FileType>& allowed) {
  std::string out;
  for (auto t : allowed) out += (out.empty() ? "" : ", ") + std::string(upload::MimeType(t));
  return out;
}

}  // namespace

bool UploadRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  if (req.path == "/api/files") {
    if (req.method != "POST") {
      c.Respond(ErrorAnswer(ErrorCode::kMethodNotAllowed, "Use POST for /api/files."));
    } else {
      Upload(c, req);
    }
    return true;
  }
  if (req.path.starts_with(kFilesPrefix)) {
    if (req.method != "GET" && req.method != "HEAD") {
      c.Respond(ErrorAnswer(ErrorCode::kMethodNotAllowed, "Use GET for files."));
      return true;
    }
    // The id is checked before any path is built from it: 64 lowercase hex characters
    // cannot hold "/", "." or "%", so no request reaches outside the store.
    const std::string_view id = std::string_view(req.path).substr(kFilesPrefix.size());
    if (!upload::IsValidId(id)) {
      c.Respond(ErrorAnswer(ErrorCode::kNotFound, "No such file."));
    } else {
      Serve(c, req, id);
    }
    return true;
  }
  return false;
}

void UploadRoutes::Refuse(net::Connection& c, ErrorCode code, std::string message) const {
  if (settings_.refused != nullptr) settings_.refused->Add();
  PARLEY_LOG_DEBUG("upload_refused conn={} code={}", c.id(), Describe(code).wire_name);
  c.Respond(ErrorAnswer(code, message));
}

void UploadRoutes::Upload(net::Connection& c, net::HttpRequest& req) const {
  // Who: with keys required, a known key; any credential sent must be valid.
  std::string user;
  if (settings_.auth != nullptr) {
    auto who = settings_.auth->Authenticate(req);
    if (!who.ok()) return Refuse(c, who.status().code(), who.status().message());
    if (who->is_user()) user = who->user_id;
  }
  // How often: the "upload" rule, per user and per IP address.
  if (settings_.limiter != nullptr) {
    const guard::RateDecision d =
        settings_.limiter->Take(guard::Action::kUpload, {.user = user, .ip = c.remote_ip()});
    if (!d.allowed()) {
      const int64_t secs = RetryAfterSeconds(d.retry_after_ms);
      c.AddResponseHeaders(fmt::format("Retry-After: {}\r\n", secs));
      return Refuse(c, ErrorCode::kRateLimited,
                    fmt::format("Too many uploads; retry in {} s.", secs));
    }
  }
  std::string body = std::move(req.body);
  std::string_view file = body;
  if (auto type = req.Header("Content-Type"); type && upload::IsMultipartFormData(*type)) {
    auto boundary = upload::MultipartBoundary(*type);
    if (!boundary.ok()) return Refuse(c, boundary.status().code(), boundary.status().message());
    auto part = upload::ParseFilePart(body, *boundary);
    if (!part.ok()) return Refuse(c, part.status().code(), part.status().message());
    file = part->content;
  }
  // The request limit leaves room for a form's framing; the file itself is held to max_bytes.
  if (file.size() > settings_.max_bytes) {
    return Refuse(c, ErrorCode::kFileTooLarge,
                  fmt::format("Files are at most {} bytes.", settings_.max_bytes));
  }
  if (file.empty()) return Refuse(c, ErrorCode::kInvalidUpload, "The file is empty.");
  // The type comes from the bytes alone; the name and Content-Type the client sent are
  // never trusted (an HTML page named cat.png is refused here).
  const auto type = upload::Sniff(file);
  const auto& allowed = settings_.allowed;
  if (!type || std::find(allowed.begin(), allowed.end(), *type) == allowed.end()) {
    return Refuse(c, ErrorCode::kUnsupportedFileType,
                  "This file is not an accepted image. Accepted: " + AllowedList(allowed) + ".");
  }
  const size_t offset = static_cast<size_t>(file.data() - body.data());
  const size_t size = file.size();
  upload::FileStore* store = settings_.store;
  metrics::Counter* stored = settings_.stored;
  const bool queued = settings_.worker->Submit(
      [store, stored, body = std::move(body), offset, size, type = *type, reply = Reply(c)] {
        auto r = store->Put(std::string_view(body).substr(offset, size));
        if (!r.ok()) return reply(ErrorAnswer(r.status().code(), r.status().message()));
        if (r->created && stored != nullptr) stored->Add();
        PARLEY_LOG_INFO("file_stored id={} size={} type={} new={}", r->id, size,
                        upload::MimeType(type), r->created);
        reply(net::HttpResponse{
            .status = 200,
            .body = fmt::format(R"({{"id":"{}","url":"/files/{}","size":{},"contentType":"{}"}})",
                                r->id, r->id, size, upload::MimeType(type)),
            .cache_control = "no-store"});
      });
  if (!queued) {
    Refuse(c, ErrorCode::kUnavailable, "Too many uploads are waiting for the disk; try again.");
  }
}

void UploadRoutes::Serve(net::Connection& c, const net::HttpRequest& req,
                         std::string_view id) const {
  std::string etag = fmt::format("\"{}\"", id);
  const bool cached = req.Header("If-None-Match") == std::optional<std::string_view>(etag);
  upload::FileStore* store = settings_.store;
  const bool queued = settings_.worker->Submit([store, id = std::string(id), etag = std::move(etag),
                                                cached, reply = Reply(c)] {
    auto bytes = store->Read(id);
    if (!bytes.ok()) return reply(ErrorAnswer(bytes.status().code(), bytes.status().message()));
    const auto type = upload::Sniff(*bytes);
    net::HttpResponse r{.status = cached ? 304 : 200,
                        .content_type = type ? upload::MimeType(*type) : "application/octet-stream",
                        .cache_control = kImmutable,
                        .extra_headers = kFileHeaders};
    if (!cached) r.body = std::move(*bytes);
    reply(std::move(r), etag);
  });
  if (!queued) {
    c.Respond(ErrorAnswer(ErrorCode::kUnavailable,
                          "Too many requests are waiting for the disk; try again."));
  }
}

}  // namespace parley::api
