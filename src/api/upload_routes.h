// UploadRoutes: file uploads over HTTP (seed 003's R2 bucket). POST /api/files stores one
// image, given as the raw body or as the one file part of a multipart/form-data body, and
// answers {id, url, size, contentType}; GET/HEAD /files/<id> serves it.
//
// Thread: Handle runs on the request's shard thread and never touches the disk. Hashing,
// writing and reading run on the upload worker (upload/worker.h); the answer is posted
// back to the connection's shard. Stateless past its settings, so one instance serves
// every shard. The settings, store and worker outlive it.
#pragma once

#include <cstdint>
#include <vector>

#include "base/metrics.h"
#include "net/connection.h"
#include "upload/file_store.h"
#include "upload/sniff.h"
#include "upload/worker.h"

namespace parley::api {

struct UploadSettings {
  upload::FileStore* store = nullptr;
  upload::Worker* worker = nullptr;
  uint64_t max_bytes = 10 << 20;          // one file. Overflow: 413 file_too_large
  std::vector<upload::FileType> allowed;  // sniffed types accepted; others 415
  metrics::Counter* stored = nullptr;     // files written (a repeated upload is not)
  metrics::Counter* refused = nullptr;    // uploads answered with an error
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
