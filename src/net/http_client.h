// Outbound HTTP/1.1 calls (to an AI provider): one request per connection, plain TCP or
// TLS (OpenSSL, peer verified against the system's CAs or `ca_file`, SNI and host name
// checked), the response body handed over as it arrives, so a streamed answer can be relayed
// token by token.
//
// Thread: a call runs on the io_context of the shard that starts it, non-blocking; every
// callback runs on that shard's thread. Name resolution uses Asio's resolver (its own
// helper thread), so the shard never blocks.
// Ownership: the call keeps itself alive until it ends; the returned handle only cancels.
// Nothing here includes Asio in the header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace parley::net {

class Shard;

struct OutboundRequest {
  bool tls = false;
  std::string host{};  // name or address to connect to (and check the certificate of)
  uint16_t port = 80;
  std::string host_header{};  // the Host header
  std::string method = "POST";
  std::string target = "/";
  std::string content_type = "application/json";
  std::string extra_headers{};  // preformatted "Name: value\r\n" lines (may hold secrets:
                                // never logged)
  std::string body{};
  std::string ca_file{};       // TLS: PEM file of trusted CAs; "" = the system's
  int connect_timeout_s = 10;  // resolve + connect + TLS handshake
  int total_timeout_s = 120;   // the whole call
  int idle_timeout_s = 30;     // between two reads (and for writing the request)
  size_t max_body_bytes = 1 << 20;
};

// How a call ended.
struct OutboundEnd {
  enum class Kind {
    kOk,             // the whole response was read
    kConnectFailed,  // resolve, connect or TLS failed (detail says which)
    kTimedOut,       // a timeout passed (detail says which)
    kBroken,         // the connection broke or the response is not valid HTTP
    kTooLarge,       // the body passed max_body_bytes
  };
  Kind kind = Kind::kOk;
  std::string detail{};  // for logs: never contains the request's headers or body
  bool ok() const { return kind == Kind::kOk; }
};

struct OutboundCallbacks {
  // The response's status line and headers arrived.
  std::function<void(int status, std::string_view content_type)> on_head;
  // Body bytes, decoded from chunked transfer as needed. Returning false cancels the call
  // (on_end is not called).
  std::function<bool(std::string_view bytes)> on_body;
  // Exactly once, last, unless the call was cancelled.
  std::function<void(const OutboundEnd& end)> on_end;
};

// A handle to cancel a call. Shard-thread only.
class OutboundCall {
 public:
  virtual ~OutboundCall() = default;
  // Stops the call and closes its socket; no callback runs after this.
  virtual void Cancel() = 0;
};

// Starts `request` on `shard`'s io_context. REQUIRES: called on `shard`'s thread.
std::shared_ptr<OutboundCall> StartOutbound(Shard& shard, OutboundRequest request,
                                            OutboundCallbacks callbacks);

}  // namespace parley::net
