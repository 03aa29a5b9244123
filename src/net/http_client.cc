#include "net/http_client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <type_traits>

#include "net/shard.h"

namespace parley::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Kind = OutboundEnd::Kind;

constexpr size_t kReadChunk = 16384;
constexpr uint32_t kMaxResponseHead = 16384;

// One TLS client context per CA file, made on first use and kept for the process: making
// one loads the CA store, too slow to do per call. Thread-safe; nullptr when the CA file
// cannot be loaded (`error` says why).
ssl::context* TlsContext(const std::string& ca_file, std::string& error) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ssl::context>> contexts;
  std::lock_guard lock(mu);
  auto& slot = contexts[ca_file];
  if (slot) return slot.get();
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  if (ca_file.empty()) {
    ctx->set_default_verify_paths(ec);
  } else {
    ctx->load_verify_file(ca_file, ec);
  }
  if (ec) {
    error = fmt::format("cannot load the trusted CAs{}: {}",
                        ca_file.empty() ? "" : " from " + ca_file, ec.message());
    contexts.erase(ca_file);
    return nullptr;
  }
  slot = std::move(ctx);
  return slot.get();
}

// One call. Stream is tcp::socket or ssl::stream<tcp::socket>. Handlers hold a reference,
// so the call lives until its last handler ran; a timer bounds each phase.
template <typename Stream>
class Call final : public OutboundCall, public std::enable_shared_from_this<Call<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  template <typename... StreamArgs>
  Call(asio::io_context& io, OutboundRequest request, OutboundCallbacks callbacks,
       StreamArgs&&... stream_args)
      : request_(std::move(request)),
        cb_(std::move(callbacks)),
        resolver_(io),
        stream_(io, std::forward<StreamArgs>(stream_args)...),
        timer_(io),
        end_(Clock::now() + std::chrono::seconds(request_.total_timeout_s)) {}

  void Start() {
    Arm(request_.connect_timeout_s, "connect");
    resolver_.async_resolve(request_.host, std::to_string(request_.port),
                            [self = this->shared_from_this()](
                                const error_code& ec, const tcp::resolver::results_type& r) {
                              self->OnResolve(ec, r);
                            });
  }

  void Cancel() override {
    done_ = true;
    Close();
  }

 private:
  // (Re)arms the phase timer: `seconds` from now, but never past the total deadline.
  void Arm(int seconds, const char* phase) {
    const auto phase_end = Clock::now() + std::chrono::seconds(seconds);
    const bool total = phase_end >= end_;
    timer_.expires_at(total ? end_ : phase_end);
    timer_.async_wait([self = this->shared_from_this(), phase, total](const error_code& ec) {
      if (ec) return;  // re-armed or cancelled
      self->End(Kind::kTimedOut, total ? std::string("the call took longer than its total timeout")
                                       : fmt::format("no progress within the {} timeout", phase));
    });
  }

  void OnResolve(const error_code& ec, const tcp::resolver::results_type& results) {
    if (done_) return;
    if (ec) return End(Kind::kConnectFailed, "resolve " + request_.host + ": " + ec.message());
    asio::async_connect(stream_.lowest_layer(), results,
                        [self = this->shared_from_this()](
                            const error_code& ec, const tcp::endpoint&) { self->OnConnect(ec); });
  }

  void OnConnect(const error_code& ec) {
    if (done_) return;
    if (ec) {
      return End(Kind::kConnectFailed,
                 fmt::format("connect to {}:{}: {}", request_.host, request_.port, ec.message()));
    }
    error_code ignored;
    stream_.lowest_layer().set_option(tcp::no_delay(true), ignored);
    if constexpr (kTls) {
      // SNI, and the certificate must name the host.
      if (!SSL_set_tlsext_host_name(stream_.native_handle(), request_.host.c_str())) {
        return End(Kind::kConnectFailed, "cannot set the TLS server name");
      }
      stream_.set_verify_mode(ssl::verify_peer);
      stream_.set_verify_callback(ssl::host_name_verification(request_.host));
      stream_.async_handshake(
          ssl::stream_base::client, [self = this->shared_from_this()](const error_code& ec) {
            if (self->done_) return;
            if (ec) {
              return self->End(Kind::kConnectFailed, "TLS handshake: " + ec.message());
            }
            self->Write();
          });
    } else {
      Write();
    }
  }

  void Write() {
    head_ = fmt::format(
        "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: parley\r\nAccept: text/event-stream, "
        "application/json\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        request_.method, request_.target, request_.host_header, request_.content_type,
        request_.body.size());
    head_ += request_.extra_headers;
    head_ += "\r\n";
    Arm(request_.idle_timeout_s, "write");
    const std::array<asio::const_buffer, 2> bufs = {asio::buffer(head_),
                                                    asio::buffer(request_.body)};
    asio::async_write(stream_, bufs,
                      [self = this->shared_from_this()](const error_code& ec, size_t) {
                        if (self->done_) return;
                        if (ec) return self->End(Kind::kBroken, "send request: " + ec.message());
                        self->ReadHead();
                      });
  }

  void ReadHead() {
    parser_.header_limit(kMaxResponseHead);
    parser_.body_limit(request_.max_body_bytes);
    Arm(request_.idle_timeout_s, "read");
    http::async_read_header(
        stream_, buffer_, parser_,
        [self = this->shared_from_this()](const error_code& ec, size_t) { self->OnHead(ec); });
  }

  void OnHead(const error_code& ec) {
    if (done_) return;
    if (ec) return End(Kind::kBroken, "read response head: " + ec.message());
    const auto& head = parser_.get();
    auto type = head[http::field::content_type];
    if (cb_.on_head) cb_.on_head(static_cast<int>(head.result_int()), {type.data(), type.size()});
    if (done_) return;
    ReadBody();
  }

  void ReadBody() {
    if (parser_.is_done()) return End(Kind::kOk, "");
    auto& body = parser_.get().body();
    body.data = chunk_.data();
    body.size = chunk_.size();
    body.more = true;
    Arm(request_.idle_timeout_s, "read");
    http::async_read_some(
        stream_, buffer_, parser_,
        [self = this->shared_from_this()](const error_code& ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(error_code ec) {
    if (done_) return;
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) {
      return End(Kind::kTooLarge,
                 fmt::format("the response passed {} bytes", request_.max_body_bytes));
    }
    if (ec) return End(Kind::kBroken, "read response body: " + ec.message());
    const size_t n = chunk_.size() - parser_.get().body().size;
    if (n > 0 && cb_.on_body) {
      if (!cb_.on_body({chunk_.data(), n})) return Cancel();
      if (done_) return;
    }
    ReadBody();
  }

  void End(Kind kind, std::string detail) {
    if (done_) return;
    done_ = true;
    Close();
    if (cb_.on_end) cb_.on_end(OutboundEnd{.kind = kind, .detail = std::move(detail)});
  }

  void Close() {
    error_code ec;
    timer_.cancel();
    resolver_.cancel();
    stream_.lowest_layer().shutdown(tcp::socket::shutdown_both, ec);
    stream_.lowest_layer().close(ec);
  }

  const OutboundRequest request_;
  const OutboundCallbacks cb_;  // never reset while a callback may be running
  tcp::resolver resolver_;
  Stream stream_;
  asio::steady_timer timer_;
  const Clock::time_point end_;
  std::string head_;
  boost::beast::flat_buffer buffer_;
  http::response_parser<http::buffer_body> parser_;
  std::array<char, kReadChunk> chunk_{};
  bool done_ = false;
};

// A call that failed before it started (no TLS context): its end is already posted.
class FailedCall final : public OutboundCall {
 public:
  void Cancel() override { *cancelled_ = true; }
  std::shared_ptr<bool> cancelled() const { return cancelled_; }

 private:
  std::shared_ptr<bool> cancelled_ = std::make_shared<bool>(false);
};

}  // namespace

std::shared_ptr<OutboundCall> StartOutbound(Shard& shard, OutboundRequest request,
                                            OutboundCallbacks callbacks) {
  if (request.tls) {
    std::string error;
    ssl::context* ctx = TlsContext(request.ca_file, error);
    if (ctx == nullptr) {
      // Reported like any failed connect, after this call returns, as for every call.
      auto failed = std::make_shared<FailedCall>();
      asio::post(shard.io(), [on_end = callbacks.on_end, error, cancelled = failed->cancelled()] {
        if (!*cancelled && on_end) {
          on_end(OutboundEnd{.kind = Kind::kConnectFailed, .detail = error});
        }
      });
      return failed;
    }
    auto call = std::make_shared<Call<ssl::stream<tcp::socket>>>(shard.io(), std::move(request),
                                                                 std::move(callbacks), *ctx);
    call->Start();
    return call;
  }
  auto call =
      std::make_shared<Call<tcp::socket>>(shard.io(), std::move(request), std::move(callbacks));
  call->Start();
  return call;
}

}  // namespace parley::net
