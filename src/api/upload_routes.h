// UploadRoutes: file uploads over HTTP (seed 003's R2 bucket). POST /api/files stores one
// image, given as the raw body or as the one file part of a multipart/form-data body, and
// answers {id, url, size, contentType}; GET/HEAD /files/<id> serves it.
//
// Who may upload: when auth.require_api_key is "yes", only requests with a known API key
// (401 api_key_required / invalid_api_key otherwise); a key or user token that is sent
// must be valid either way. How often: each upload takes an "upload" rate token per user
// (a valid user token) and per IP address (429 rate_limited with Retry-After otherwise),
// checked before the body is looked at.
//
// Thread: Handle runs on the request's shard thread and never touches the disk. Hashing,
// writing and reading run on the upload worker (upload/worker.h); the answer is posted
// back to the connection's shard. Stateless past its settings, so one instance serves
// every shard. The settings, store and worker outlive it.
#pragma once

#include <cstdint>
#include <vector>

#include "base/metrics.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"
#include "upload/file_store.h"
#include "upload/sniff.h"
#include "upload/worker.h"

namespace parley::auth {
class Authenticator;
}

namespace parley::api {

struct UploadSettings {
  upload::FileStore* store = nullptr;
  upload::Worker* worker = nullptr;
  uint64_t max_bytes = 10 << 20;              // one file. Overflow: 413 file_too_large
  std::vector<upload::FileType> allowed;      // sniffed types accepted; others 415
  metrics::Counter* stored = nullptr;         // files written (a repeated upload is not)
  metrics::Counter* refused = nullptr;        // uploads answered with an error
  const auth::Authenticator* auth = nullptr;  // nullptr: anyone may upload
  guard::RateLimiter* limiter = nullptr;      // Action::kUpload; nullptr: no upload limit
};

class UploadRoutes {
 public:
  explicit UploadRoutes(const UploadSettings& settings) : settings_(settings) {}

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller. May move req.body out.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

 private:
  void Upload(net::Connection& c, net::HttpRequest& req) const;
  void Serve(net::Connection& c, const net::HttpRequest& req, std::string_view id) const;
  void Refuse(net::Connection& c, ErrorCode code, std::string message) const;

  const UploadSettings& settings_;
};

}  // namespace parley::api
