// TcpConnection: the one concrete Connection, built the way uWebSockets builds sockets:
// reads go into the shard's single receive buffer (an idle socket owns no buffer; only an
// unfinished frame or request is copied into pending_), writes are corked per loop turn
// and leave as one gather write, and timeouts live in the shard's timer wheel.
//
// Thread: its shard's thread only. Owned by the shard's connection map; pending waits hold
// a reference so the object outlives its last callback.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>

#include "net/connection.h"
#include "net/frame_queue.h"
#include "net/options.h"
#include "net/shard.h"
#include "net/timer_wheel.h"
#include "protocol/ws/frame.h"

namespace parley::guard {
class ConnectionGate;
}

namespace parley::net {

class TcpConnection final : public Connection,
                            public TimerNode,
                            private ws::FrameSink,
                            public std::enable_shared_from_this<TcpConnection> {
 public:
  // `gate`, when set, admitted this socket from `remote_ip`; it is released on destruction.
  TcpConnection(Shard& shard, boost::asio::ip::tcp::socket socket, const NetOptions& options,
                NetStats& stats, std::string remote_ip = {}, guard::ConnectionGate* gate = nullptr);
  ~TcpConnection() override;

  // Arms the request timeout and starts reading. REQUIRES: owned by a shared_ptr.
  void Start();

  const std::string& remote_ip() const override { return remote_ip_; }
  void AddResponseHeaders(std::string_view lines) override;
  void Respond(HttpResponse response) override;
  void ExtendDeadline(int seconds) override;
  void BeginStream(int status, std::string_view content_type,
                   std::string_view extra_headers) override;
  void StreamWrite(std::string_view bytes) override;
  void EndStream() override;
  void Upgrade(const HttpRequest& request, std::unique_ptr<WsHandler> handler) override;
  void Send(SharedFrame frame, bool droppable = false) override;
  void SendText(std::string_view payload) override;
  void Close(uint16_t code, std::string_view reason) override;
  bool is_websocket() const override { return ws_handler_ != nullptr; }
  bool is_open() const override { return phase_ != Phase::kClosed; }

  // Called by the shard when it corked this connection: writes what is queued.
  void Flush();
  // Closes the socket now, without a closing handshake.
  void Abort();

 private:
  enum class Phase { kHttp, kWebSocket, kClosing, kClosed };
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void OnTimeout() override;
  void Keepalive();
  void ArmTimeout(int seconds);
  // ws::FrameSink
  void OnMessage(ws::Opcode op, std::string_view payload) override;
  void OnPing(std::string_view payload) override;
  void OnPong(std::string_view payload) override;
  void OnClose(uint16_t code, std::string_view reason) override;
  void OnProtocolError(uint16_t close_code, std::string_view why) override;

  void WaitReadable();
  void OnReadable(const boost::system::error_code& ec);
  void ProcessInput(const uint8_t* data, size_t n);
  size_t Consume(std::span<uint8_t> data);
  size_t ConsumeHttp(std::span<uint8_t> data);
  void DispatchRequest();
  void RespondAndClose(int status, std::string_view code, std::string_view message);
  void ResumeAfterResponse();
  // After a whole answer is queued: close, or get ready for the next request.
  void FinishResponse(bool keep);
  void Queue(SharedFrame frame);
  void ScheduleFlush();
  void WaitWritable();
  void ResetParser();
  // Called once the request head is parsed: applies the body limit of its route. False when
  // the request was refused (413) instead.
  bool ApplyBodyLimit();

  Shard& shard_;
  boost::asio::ip::tcp::socket socket_;
  const NetOptions& options_;
  NetStats& stats_;
  const std::string remote_ip_;
  guard::ConnectionGate* const gate_;
  Phase phase_ = Phase::kHttp;
  std::string response_headers_;  // HTTP phase: added to the next response

  std::string pending_;                      // unconsumed input: an unfinished request or frame
  std::unique_ptr<Parser> parser_;           // HTTP phase only
  std::unique_ptr<ws::FrameReader> reader_;  // WebSocket phase only
  std::unique_ptr<WsHandler> ws_handler_;

  FrameQueue out_;
  size_t out_offset_ = 0;  // bytes of out_.front() already written
  size_t out_bytes_ = 0;   // unwritten bytes in out_

  bool awaiting_response_ = false;
  bool streaming_ = false;  // between BeginStream and EndStream
  bool keep_alive_ = true;
  bool head_request_ = false;  // the current request is HEAD: answer without a body
  bool close_after_flush_ = false;
  bool flush_scheduled_ = false;
  bool read_waiting_ = false;
  bool write_waiting_ = false;
  bool in_consume_ = false;
  bool got_bytes_ = false;                      // any byte of the current request seen
  bool body_limit_set_ = false;                 // ApplyBodyLimit ran for the current request
  const LargeBodyRoute* large_body_ = nullptr;  // the current request's route, if large
  // Keepalive (WebSocket phase): a ping is out, and nothing has arrived since it left.
  bool ping_outstanding_ = false;
  bool heard_since_ping_ = false;
};

}  // namespace parley::net
