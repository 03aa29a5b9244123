#include "net/tcp_connection.h"

#include <strings.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <limits>

#include "base/log.h"
#include "guard/connection_gate.h"
#include "protocol/chat_json.h"
#include "protocol/packet.h"
#include "protocol/ws/handshake.h"

namespace parley::net {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {

// True when the comma-separated header value `list` contains `token` (case-insensitive).
bool HasToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.size() == token.size() && strncasecmp(item.data(), token.data(), token.size()) == 0) {
      return true;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// Largest number of buffers handed to one gather write.
constexpr size_t kMaxIov = 64;

}  // namespace

TcpConnection::TcpConnection(Shard& shard, asio::ip::tcp::socket socket, const NetOptions& options,
                             NetStats& stats, std::string remote_ip, guard::ConnectionGate* gate)
    : Connection(shard.index(), shard.NextConnectionId()),
      shard_(shard),
      socket_(std::move(socket)),
      options_(options),
      stats_(stats),
      remote_ip_(std::move(remote_ip)),
      gate_(gate) {
  stats_.connections.fetch_add(1, std::memory_order_relaxed);
}

TcpConnection::~TcpConnection() {
  stats_.connections.fetch_sub(1, std::memory_order_relaxed);
  if (gate_ != nullptr) gate_->Release(remote_ip_);
}

void TcpConnection::AddResponseHeaders(std::string_view lines) {
  if (phase_ == Phase::kHttp) response_headers_ += lines;
}

void TcpConnection::Start() {
  error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  ResetParser();
  ArmTimeout(options_.request_timeout_s);
  WaitReadable();
}

void TcpConnection::ResetParser() {
  parser_ = std::make_unique<Parser>();
  parser_->header_limit(options_.max_http_request_bytes);
  // The body limit depends on the route, known once the head is parsed: put() stops there
  // (not eager) and ApplyBodyLimit sets it before any body byte is read. No limit until
  // then, so Beast's own Content-Length check cannot refuse first with the generic code.
  // (The largest value, not boost::none: Beast 1.74 compares a length against an empty
  // optional as if it were over the limit.)
  parser_->body_limit(std::numeric_limits<uint64_t>::max());
  parser_->eager(false);
  got_bytes_ = false;
  body_limit_set_ = false;
  large_body_ = nullptr;
  head_request_ = false;
}

// ---- reading ----

void TcpConnection::WaitReadable() {
  if (read_waiting_ || phase_ == Phase::kClosed) return;
  read_waiting_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_read,
                     [self = shared_from_this()](const error_code& ec) {
                       self->read_waiting_ = false;
                       self->OnReadable(ec);
                     });
}

void TcpConnection::OnReadable(const error_code& wait_ec) {
  if (phase_ == Phase::kClosed) return;
  if (wait_ec) return Abort();
  auto buf = shard_.recv_buffer();
  error_code ec;
  const size_t n = socket_.read_some(asio::buffer(buf.data(), buf.size()), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) return WaitReadable();
  if (ec) return Abort();  // EOF or reset: the peer is gone
  ProcessInput(buf.data(), n);
  // An HTTP connection waiting for an asynchronous response reads nothing more, so a
  // pipelining client cannot grow pending_ without bound.
  if (phase_ != Phase::kClosed && !awaiting_response_) WaitReadable();
}

void TcpConnection::ProcessInput(const uint8_t* data, size_t n) {
  heard_since_ping_ = true;
  if (pending_.empty()) {
    // Fast path: parse straight out of the shard's buffer; copy only a leftover fragment.
    auto* mutable_data = const_cast<uint8_t*>(data);
    const size_t used = Consume({mutable_data, n});
    if (phase_ != Phase::kClosed && used < n) {
      pending_.assign(reinterpret_cast<const char*>(data) + used, n - used);
    }
    return;
  }
  pending_.append(reinterpret_cast<const char*>(data), n);
  const size_t used = Consume({reinterpret_cast<uint8_t*>(pending_.data()), pending_.size()});
  pending_.erase(0, used);
  if (pending_.capacity() > 4 * options_.max_frame_bytes && pending_.empty()) {
    std::string().swap(pending_);  // give a burst's memory back
  }
}

size_t TcpConnection::Consume(std::span<uint8_t> data) {
  in_consume_ = true;
  size_t used = 0;
  while (used < data.size() && phase_ != Phase::kClosed) {
    if (phase_ == Phase::kHttp) {
      if (awaiting_response_) break;
      const size_t n = ConsumeHttp(data.subspan(used));
      used += n;
      if (n == 0) break;
    } else {
      if (reader_ == nullptr || reader_->failed() || reader_->closed()) {
        used = data.size();  // data after a close frame is ignored
        break;
      }
      const size_t n = reader_->Consume(data.subspan(used), *this);
      used += n;
      if (n == 0) break;
    }
  }
  in_consume_ = false;
  return used;
}

size_t TcpConnection::ConsumeHttp(std::span<uint8_t> data) {
  got_bytes_ = true;
  boost::beast::error_code ec;
  size_t used = 0;
  while (!parser_->is_done()) {
    const size_t n = parser_->put(asio::buffer(data.data() + used, data.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) return used;
    if (ec == http::error::header_limit) {
      RespondAndClose(431, "payload_too_large", "The request head is too large.");
      return data.size();
    }
    if (ec == http::error::body_limit) {
      if (large_body_ != nullptr) {
        RespondAndClose(413, large_body_->code, large_body_->message);
      } else {
        RespondAndClose(413, "payload_too_large", "The request body is too large.");
      }
      return data.size();
    }
    if (ec) {
      RespondAndClose(400, "bad_request", "The request is not valid HTTP/1.1.");
      return data.size();
    }
    if (!body_limit_set_ && parser_->is_header_done()) {
      if (!ApplyBodyLimit()) return data.size();
    }
    if (n == 0) return used;
  }
  DispatchRequest();
  return used;
}

bool TcpConnection::ApplyBodyLimit() {
  body_limit_set_ = true;
  const auto& head = parser_->get();
  const std::string_view target(head.target().data(), head.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  const std::string_view method(head.method_string().data(), head.method_string().size());
  uint64_t limit = options_.max_http_request_bytes;
  for (const auto& r : options_.large_body_routes) {
    if (method == r.method && path == r.path) {
      large_body_ = &r;
      limit = r.max_bytes;
      break;
    }
  }
  // A declared length over the limit is refused before any body byte is read. A chunked
  // body is counted as it arrives, against the limit set here.
  if (auto length = parser_->content_length(); length && *length > limit) {
    if (large_body_ != nullptr) {
      RespondAndClose(413, large_body_->code, large_body_->message);
    } else {
      RespondAndClose(413, "payload_too_large", "The request body is too large.");
    }
    return false;
  }
  parser_->body_limit(limit);
  parser_->eager(true);
  // curl and other clients wait for this before sending a large body.
  if (auto expect = head.find(http::field::expect);
      expect != head.end() &&
      HasToken(std::string_view(expect->value().data(), expect->value().size()), "100-continue") &&
      !parser_->is_done()) {
    Queue(std::make_shared<const std::string>("HTTP/1.1 100 Continue\r\n\r\n"));
  }
  return true;
}

void TcpConnection::DispatchRequest() {
  auto msg = parser_->release();
  HttpRequest req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  if (!ParseTarget(req.target, req.path, req.query)) {
    return RespondAndClose(400, "bad_request", "The request target has a malformed escape.");
  }
  for (const auto& field : msg) {
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(msg.body());
  req.keep_alive = msg.keep_alive();
  auto upgrade = req.Header("Upgrade");
  auto connection = req.Header("Connection");
  auto version = req.Header("Sec-WebSocket-Version");
  auto key = req.Header("Sec-WebSocket-Key");
  if (req.method == "GET" && upgrade && HasToken(*upgrade, "websocket") && connection &&
      HasToken(*connection, "upgrade") && version && *version == "13" && key &&
      ws::IsValidClientKey(*key)) {
    req.websocket_upgrade = true;
    req.ws_key = std::string(*key);
  }
  keep_alive_ = req.keep_alive;
  head_request_ = req.method == "HEAD";
  awaiting_response_ = true;
  ArmTimeout(options_.request_timeout_s);
  HttpHandler* handler = shard_.http_handler();
  if (handler == nullptr) {
    return RespondAndClose(503, "unavailable", "The server is starting.");
  }
  handler->OnRequest(*this, req);
}

void TcpConnection::RespondAndClose(int status, std::string_view code, std::string_view message) {
  if (phase_ != Phase::kHttp) return;
  keep_alive_ = false;
  awaiting_response_ = true;
  Respond(HttpResponse{.status = status, .body = EncodeErrorBody(code, message)});
}

// ---- HTTP answers ----

void TcpConnection::Respond(HttpResponse response) {
  if (phase_ != Phase::kHttp || !awaiting_response_ || streaming_) return;
  const bool keep = keep_alive_ && !shard_.shutting_down();
  response.omit_body = head_request_;
  std::string headers;
  if (!response_headers_.empty()) {
    headers = std::string(response.extra_headers) + response_headers_;
    response.extra_headers = headers;
    std::string().swap(response_headers_);
  }
  Queue(std::make_shared<const std::string>(SerializeResponse(response, keep)));
  FinishResponse(keep);
}

void TcpConnection::ExtendDeadline(int seconds) {
  if (phase_ == Phase::kHttp && awaiting_response_ && !streaming_) ArmTimeout(seconds);
}

void TcpConnection::BeginStream(int status, std::string_view content_type,
                                std::string_view extra_headers) {
  if (phase_ != Phase::kHttp || !awaiting_response_ || streaming_) return;
  streaming_ = true;
  TimerNode::Cancel();  // the producer bounds the stream
  Queue(std::make_shared<const std::string>(SerializeStreamHead(
      status, content_type, extra_headers, keep_alive_ && !shard_.shutting_down())));
}

void TcpConnection::StreamWrite(std::string_view bytes) {
  if (phase_ != Phase::kHttp || !streaming_ || bytes.empty()) return;
  Queue(std::make_shared<const std::string>(SerializeChunk(bytes)));
  if (out_bytes_ > options_.send_queue_bytes) {
    stats_.slow_consumer_closes.fetch_add(1, std::memory_order_relaxed);
    PARLEY_LOG_WARN("slow_consumer_close conn={} queued_bytes={} stream=1", id(), out_bytes_);
    Abort();
  }
}

void TcpConnection::EndStream() {
  if (phase_ != Phase::kHttp || !streaming_) return;
  streaming_ = false;
  Queue(std::make_shared<const std::string>(kLastChunk));
  FinishResponse(keep_alive_ && !shard_.shutting_down());
}

void TcpConnection::FinishResponse(bool keep) {
  awaiting_response_ = false;
  if (!keep) {
    close_after_flush_ = true;
    phase_ = Phase::kClosing;
    ArmTimeout(options_.close_timeout_s);
    return;
  }
  ResetParser();
  ArmTimeout(options_.http_idle_timeout_s);
  if (!in_consume_) ResumeAfterResponse();
}

void TcpConnection::ResumeAfterResponse() {
  // A response that came later (from another thread's work): requests that arrived
  // meanwhile wait in pending_.
  if (!pending_.empty()) {
    const size_t used = Consume({reinterpret_cast<uint8_t*>(pending_.data()), pending_.size()});
    pending_.erase(0, used);
  }
  if (phase_ != Phase::kClosed && !awaiting_response_) WaitReadable();
}

void TcpConnection::Upgrade(const HttpRequest& request, std::unique_ptr<WsHandler> handler) {
  if (phase_ != Phase::kHttp || !awaiting_response_ || !request.websocket_upgrade) return;
  Queue(std::make_shared<const std::string>(SerializeUpgrade(ws::AcceptKey(request.ws_key))));
  awaiting_response_ = false;
  std::string().swap(response_headers_);
  parser_.reset();
  phase_ = Phase::kWebSocket;
  reader_ = std::make_unique<ws::FrameReader>(ws::ReaderLimits{options_.max_frame_bytes});
  ws_handler_ = std::move(handler);
  // Keepalive rides on the shard's timer wheel: an intrusive node, no timer object per socket.
  if (options_.ws_ping_interval_s > 0) {
    ArmTimeout(options_.ws_ping_interval_s);
  } else {
    TimerNode::Cancel();
  }
  stats_.websockets.fetch_add(1, std::memory_order_relaxed);
  ws_handler_->OnOpen(*this);
  if (!in_consume_) ResumeAfterResponse();
}

// ---- WebSocket events from the frame reader ----

void TcpConnection::OnMessage(ws::Opcode op, std::string_view payload) {
  if (phase_ == Phase::kWebSocket) ws_handler_->OnMessage(*this, op, payload);
}

void TcpConnection::OnPing(std::string_view payload) {
  if (phase_ == Phase::kWebSocket) {
    Queue(std::make_shared<const std::string>(ws::EncodeFrame(ws::Opcode::kPong, payload)));
  }
}

void TcpConnection::OnPong(std::string_view) {}

void TcpConnection::OnClose(uint16_t code, std::string_view) {
  if (phase_ == Phase::kWebSocket) {
    // Echo the peer's code (RFC 6455 5.5.1), then the server closes the TCP connection.
    Queue(std::make_shared<const std::string>(
        ws::EncodeClose(code == 1005 ? ws::kCloseNormal : code, "")));
  }
  close_after_flush_ = true;
  phase_ = Phase::kClosing;
  ArmTimeout(options_.close_timeout_s);
  ScheduleFlush();
}

void TcpConnection::OnProtocolError(uint16_t close_code, std::string_view why) {
  stats_.protocol_errors.fetch_add(1, std::memory_order_relaxed);
  PARLEY_LOG_DEBUG("ws_protocol_error conn={} code={} why=\"{}\"", id(), close_code, why);
  if (phase_ == Phase::kWebSocket) {
    Queue(std::make_shared<const std::string>(ws::EncodeClose(close_code, why)));
  }
  close_after_flush_ = true;
  phase_ = Phase::kClosing;
  ArmTimeout(options_.close_timeout_s);
}

// ---- writing ----

void TcpConnection::Send(SharedFrame frame, bool droppable) {
  if (phase_ != Phase::kWebSocket) return;
  if (const std::optional<size_t> min = packet_output()) {
    frame = packet::TextToPacketFrame(frame, *min);
  }
  if (droppable && out_bytes_ + frame->size() > options_.send_queue_bytes / 2) {
    stats_.dropped_frames.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Queue(std::move(frame));
  if (out_bytes_ > options_.send_queue_bytes) {
    // Slow consumer: drop what it has not started to receive, tell it why, and go.
    stats_.slow_consumer_closes.fetch_add(1, std::memory_order_relaxed);
    PARLEY_LOG_WARN("slow_consumer_close conn={} queued_bytes={}", id(), out_bytes_);
    while (out_.size() > (out_offset_ > 0 ? 1u : 0u)) {
      out_bytes_ -= out_.back()->size();
      out_.pop_back();
    }
    Close(ws::kClosePolicy, "slow consumer: send queue full");
  }
}

void TcpConnection::SendText(std::string_view payload) {
  if (phase_ != Phase::kWebSocket) return;
  Send(std::make_shared<const std::string>(ws::EncodeFrame(ws::Opcode::kText, payload)));
}

void TcpConnection::Close(uint16_t code, std::string_view reason) {
  if (phase_ == Phase::kWebSocket) {
    Queue(std::make_shared<const std::string>(ws::EncodeClose(code, reason)));
    phase_ = Phase::kClosing;  // keep reading until the peer answers or the timer fires
    ArmTimeout(options_.close_timeout_s);
  } else if (phase_ == Phase::kHttp) {
    if (out_.empty()) return Abort();
    close_after_flush_ = true;
    phase_ = Phase::kClosing;
    ArmTimeout(options_.close_timeout_s);
  }
}

void TcpConnection::Queue(SharedFrame frame) {
  if (phase_ == Phase::kClosed || frame->empty()) return;
  out_bytes_ += frame->size();
  out_.push_back(std::move(frame));
  ScheduleFlush();
}

void TcpConnection::ScheduleFlush() {
  if (flush_scheduled_ || write_waiting_ || phase_ == Phase::kClosed) return;
  flush_scheduled_ = true;
  shard_.Cork(shared_from_this());
}

void TcpConnection::Flush() {
  flush_scheduled_ = false;
  if (phase_ == Phase::kClosed) return;
  while (!out_.empty()) {
    std::array<asio::const_buffer, kMaxIov> bufs;
    size_t count = 0;
    for (auto it = out_.begin(); it != out_.end() && count < kMaxIov; ++it, ++count) {
      const size_t skip = count == 0 ? out_offset_ : 0;
      bufs[count] = asio::const_buffer((*it)->data() + skip, (*it)->size() - skip);
    }
    error_code ec;
    size_t written = socket_.write_some(std::span(bufs.data(), count), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      return WaitWritable();
    }
    if (ec) return Abort();
    out_bytes_ -= written;
    while (written > 0) {
      const size_t left = out_.front()->size() - out_offset_;
      if (written >= left) {
        written -= left;
        out_offset_ = 0;
        out_.pop_front();
      } else {
        out_offset_ += written;
        written = 0;
      }
    }
    if (!out_.empty()) return WaitWritable();  // the kernel took less: wait for room
  }
  if (close_after_flush_) Abort();
}

void TcpConnection::WaitWritable() {
  if (write_waiting_) return;
  write_waiting_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_write,
                     [self = shared_from_this()](const error_code& ec) {
                       self->write_waiting_ = false;
                       if (ec) return self->Abort();
                       self->Flush();
                     });
}

// ---- endings ----

void TcpConnection::OnTimeout() {
  if (phase_ == Phase::kWebSocket) return Keepalive();
  if (phase_ == Phase::kHttp && !awaiting_response_ && got_bytes_) {
    return RespondAndClose(408, "bad_request", "The request did not arrive in time.");
  }
  Abort();
}

// Every ws_ping_interval_s: ping, then check ws_pong_timeout_s later that something (a pong
// or any frame) arrived. Reading sets heard_since_ping_, a plain store, so a busy socket pays
// nothing per frame for this.
void TcpConnection::Keepalive() {
  if (!ping_outstanding_) {
    ping_outstanding_ = true;
    heard_since_ping_ = false;
    Queue(std::make_shared<const std::string>(ws::EncodeFrame(ws::Opcode::kPing, {})));
    return ArmTimeout(std::max(1, options_.ws_pong_timeout_s));
  }
  if (!heard_since_ping_) {
    stats_.keepalive_closes.fetch_add(1, std::memory_order_relaxed);
    PARLEY_LOG_INFO("keepalive_timeout conn={}", id());
    return Abort();  // a dead peer cannot take part in a closing handshake
  }
  ping_outstanding_ = false;
  ArmTimeout(std::max(1, options_.ws_ping_interval_s - options_.ws_pong_timeout_s));
}

// The wheel ticks once a second and the next tick may be a moment away, so a timeout of N
// seconds waits N + 1 ticks: never less than N seconds, at most one more.
void TcpConnection::ArmTimeout(int seconds) {
  shard_.wheel().Schedule(*this, static_cast<uint64_t>(std::max(1, seconds)) + 1);
}

void TcpConnection::Abort() {
  if (phase_ == Phase::kClosed) return;
  const bool was_websocket = ws_handler_ != nullptr;
  phase_ = Phase::kClosed;
  TimerNode::Cancel();
  error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  out_.clear();
  out_bytes_ = 0;
  if (was_websocket) {
    stats_.websockets.fetch_sub(1, std::memory_order_relaxed);
    ws_handler_->OnClosed(*this);
  }
  shard_.Remove(id());
}

}  // namespace parley::net
