// A minimal HTTP/1.1 client for tests: GET over a keep-alive connection, raw bytes for
// malformed-request cases, and a response parser that handles Content-Length, chunked
// and read-until-close bodies.
//
// Not thread-safe; one test thread owns a client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tcp.h"

namespace parley::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0 when no response could be read; see `error`
  std::string reason;
  Headers headers;
  std::string body;
  std::string error;  // why reading failed, empty on success

  // The first header named `name` (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}

  // Opens the connection. Get() connects on demand, so this is only needed before
  // SendRaw().
  bool Connect(Deadline deadline = AfterSeconds(5));

  // Sends `GET target HTTP/1.1` with Host and `headers` on the current connection
  // (opening one if needed) and reads the response.
  HttpResponse Get(std::string_view target, const Headers& headers = {},
                   Deadline deadline = AfterSeconds(10));
  // Writes raw bytes on the connection as they are.
  bool SendRaw(std::string_view bytes, Deadline deadline = AfterSeconds(5));
  // Reads one response. `head_only` for responses to HEAD (no body).
  HttpResponse ReadResponse(Deadline deadline = AfterSeconds(10), bool head_only = false);
  // True when the server closes the connection before `deadline` (any bytes it sends
  // first are discarded).
  bool WaitClosed(Deadline deadline);

  TcpConn& conn() { return conn_; }

 private:
  uint16_t port_;
  TcpConn conn_;
};

// Reads one response from `conn` (used after a refused WebSocket upgrade too).
HttpResponse ReadHttpResponse(TcpConn& conn, Deadline deadline, bool head_only = false);

// One GET on a fresh connection.
HttpResponse HttpGet(uint16_t port, std::string_view target, const Headers& headers = {});

// Parses one complete response from the front of `data`. Returns the bytes used, 0 when
// more bytes are needed, or sets out->error and returns std::string::npos when malformed.
// `eof` says no more bytes will come (ends a body without a length).
size_t ParseHttpResponse(std::string_view data, bool eof, bool head_only, HttpResponse* out);

}  // namespace parley::testing
