// Connection: one client socket as parley's upper layers see it, HTTP first and then,
// after an upgrade, a WebSocket. The concrete class (tcp_connection.h) is the only one
// that knows Asio.
//
// Thread: every method must be called on the connection's own shard thread. To reach a
// connection from another thread, post to its shard and look it up by id
// (Shard::FindConnection): it may be gone by then.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_request.h"
#include "net/http_response.h"
#include "protocol/shared_frame.h"
#include "protocol/ws/frame.h"

namespace parley::net {

class Connection;

// Receives one WebSocket's messages. Owned by the connection; runs on its shard thread.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  // The 101 response is queued; the socket may receive frames from now on.
  virtual void OnOpen(Connection& c) = 0;
  // A whole text (valid UTF-8) or binary message.
  virtual void OnMessage(Connection& c, ws::Opcode op, std::string_view payload) = 0;
  // The socket is gone (peer close, error, timeout, shutdown). Called exactly once after
  // OnOpen; nothing can be sent any more.
  virtual void OnClosed(Connection& c) = 0;
};

// Answers HTTP requests. One per shard; runs on that shard's thread.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Must lead to exactly one c.Respond(...) or c.Upgrade(...), now or later (on this shard,
  // after looking the connection up by id). Until then the connection reads no further
  // requests.
  virtual void OnRequest(Connection& c, HttpRequest& request) = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;

  uint64_t id() const { return id_; }
  int shard() const { return shard_; }

  // The peer's IP address as text ("203.0.113.7", "2001:db8::1"; an IPv4-mapped IPv6
  // peer is shown as IPv4). Fixed for the connection's life.
  virtual const std::string& remote_ip() const = 0;
  // HTTP phase: adds preformatted "Name: value\r\n" lines to the answer of the current
  // request, whoever gives it (CORS and security headers decided before routing).
  virtual void AddResponseHeaders(std::string_view lines) = 0;
  // HTTP phase: answers the current request. Keeps the connection for the next request
  // unless the request or the server says close.
  virtual void Respond(HttpResponse response) = 0;
  // HTTP phase: the answer to the current request may take up to `seconds` more (it waits
  // on an outbound call): re-arms the request timeout, which otherwise closes the connection
  // after timeouts.request_timeout_s.
  virtual void ExtendDeadline(int seconds) = 0;
  // HTTP phase: starts a streamed answer to the current request: the head now (chunked
  // transfer encoding, no Content-Length), then StreamWrite() as data comes, then EndStream().
  // Until EndStream() the connection reads no further request and no timeout of its own
  // applies: the producer bounds the stream (and ends it, or Close()s). Each write is one
  // chunk, corked like WebSocket frames; past limits.send_queue_bytes of unsent output the
  // connection is closed as a slow consumer.
  virtual void BeginStream(int status, std::string_view content_type,
                           std::string_view extra_headers) = 0;
  virtual void StreamWrite(std::string_view bytes) = 0;
  // Sends the last chunk; keep-alive then goes on as after Respond().
  virtual void EndStream() = 0;
  // HTTP phase: accepts the current WebSocket upgrade request (REQUIRES:
  // request.websocket_upgrade) and hands the socket to `handler`.
  virtual void Upgrade(const HttpRequest& request, std::unique_ptr<WsHandler> handler) = 0;

  // WebSocket phase: queues one encoded frame, shared with other recipients. Frames queued
  // in one loop turn leave in one write. Past limits.send_queue_bytes the connection is
  // closed as a slow consumer (1008). A `droppable` frame (typing, presence: state the next
  // frame of its kind replaces) is skipped instead once the queue is half full, so a
  // lagging reader sheds those first.
  virtual void Send(SharedFrame frame, bool droppable = false) = 0;
  // WebSocket phase: encodes `payload` as a text frame for this connection alone.
  virtual void SendText(std::string_view payload) = 0;
  // Starts the closing handshake (WebSocket) or closes after pending output (HTTP).
  virtual void Close(uint16_t code, std::string_view reason) = 0;

  virtual bool is_websocket() const = 0;
  virtual bool is_open() const = 0;

  // WebSocket phase: from now on every text frame queued for this socket leaves as the same
  // message in a binary packet frame (protocol/packet.h), LZ4-compressed from
  // `compress_min_bytes` on (0 = never). Set by the socket's handler when its client shows
  // it reads packets; never unset. A sender reaching many sockets converts a frame once
  // and queues the packet frame (room::Hub); Send converts any text frame it is given.
  void UsePacketOutput(size_t compress_min_bytes) { packet_compress_min_ = compress_min_bytes; }
  // The threshold given to UsePacketOutput; nullopt while the socket gets JSON text frames.
  std::optional<size_t> packet_output() const { return packet_compress_min_; }

  // The user this socket speaks for (a JWT's sub or the chosen ?username=), set by the route
  // that upgrades it; "" for sockets that named none. Moderation lists and bans by it.
  void set_user(std::string user) { user_ = std::move(user); }
  const std::string& user() const { return user_; }
  // When the socket was accepted, in Unix milliseconds.
  int64_t opened_at_ms() const { return opened_at_ms_; }

 protected:
  Connection(int shard, uint64_t id)
      : id_(id),
        shard_(shard),
        opened_at_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()) {}

 private:
  const uint64_t id_;
  const int shard_;
  const int64_t opened_at_ms_;
  std::optional<size_t> packet_compress_min_;
  std::string user_;
};

}  // namespace parley::net
