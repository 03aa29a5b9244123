#include "net/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <thread>

#include "base/log.h"
#include "guard/connection_gate.h"
#include "net/tcp_connection.h"
#include "protocol/chat_json.h"

namespace parley::net {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

namespace {

// Writes a refusal to a socket that is never served (one small write into an empty send
// buffer, so it does not block), then closes it.
void Refuse(tcp::socket& socket, const HttpResponse& response) {
  const std::string bytes = SerializeResponse(response, false);
  error_code ignored;
  socket.non_blocking(true, ignored);
  asio::write(socket, asio::buffer(bytes), ignored);
  socket.close(ignored);
}

}  // namespace

struct Server::Listener {
  Listener(Shard& s) : shard(s), acceptor(s.io()) {}
  Shard& shard;
  tcp::acceptor acceptor;
};

Server::Server(NetOptions options) : options_(std::move(options)) {}

Server::~Server() {
  for (auto& s : shards_) s->Stop();
  for (auto& s : shards_) s->Join();
  listeners_.clear();
}

std::vector<Shard*> Server::shards() const {
  std::vector<Shard*> out;
  for (auto& s : shards_) out.push_back(s.get());
  return out;
}

Status Server::Bind() {
  const int n = std::max(1, options_.shards);
  error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return Status(ErrorCode::kBadRequest, "server.host: not an IP address: " + options_.host);
  uint16_t port = options_.port;
  for (int i = 0; i < n; ++i) {
    shards_.push_back(std::make_unique<Shard>(i, n));
    auto l = std::make_unique<Listener>(*shards_.back());
    tcp::endpoint ep(address, port);
    l->acceptor.open(ep.protocol(), ec);
    if (!ec) l->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) l->acceptor.set_option(ReusePort(true), ec);
    if (!ec) l->acceptor.bind(ep, ec);
    if (!ec) l->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status(ErrorCode::kUnavailable,
                    fmt::format("cannot listen on {}:{}: {}", options_.host, port, ec.message()));
    }
    // With port 0 the first bind picks a port; the other shards join it.
    port = l->acceptor.local_endpoint().port();
    listeners_.push_back(std::move(l));
  }
  port_ = port;
  return Status::Ok();
}

void Server::Run() {
  for (auto& l : listeners_) {
    Listener* listener = l.get();
    listener->shard.Start([this, listener] { Accept(*listener); });
  }
}

void Server::Accept(Listener& l) {
  l.acceptor.async_accept([this, &l](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !l.acceptor.is_open()) return;
    if (ec) {
      PARLEY_LOG_WARN("accept_failed shard={} error=\"{}\"", l.shard.index(), ec.message());
      // Out of descriptors and the like: back off a moment instead of spinning.
      auto timer =
          std::make_shared<asio::steady_timer>(l.shard.io(), std::chrono::milliseconds(50));
      timer->async_wait([this, &l, timer](const error_code&) { Accept(l); });
      return;
    }
    stats_.accepted.fetch_add(1, std::memory_order_relaxed);
    if (stats_.connections.load(std::memory_order_relaxed) >= options_.max_connections) {
      stats_.rejected_limit.fetch_add(1, std::memory_order_relaxed);
      Refuse(socket,
             HttpResponse{.status = 503,
                          .body = EncodeErrorBody("connection_limit",
                                                  "The server is at its connection limit.")});
      return Accept(l);
    }
    error_code ep_ec;
    auto address = socket.remote_endpoint(ep_ec).address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    std::string ip = ep_ec ? std::string() : address.to_string();
    if (gate_ != nullptr) {
      const guard::Admission a = gate_->Admit(ip);
      if (!a.ok()) {
        stats_.rejected_ip.fetch_add(1, std::memory_order_relaxed);
        const ErrorInfo& info = Describe(a.code);
        std::string retry;
        if (a.retry_after_ms > 0) {
          retry = fmt::format("Retry-After: {}\r\n", (a.retry_after_ms + 999) / 1000);
        }
        Refuse(socket,
               HttpResponse{.status = info.http_status,
                            .body = EncodeErrorBody(
                                info.wire_name, a.code == ErrorCode::kIpConnectionLimit
                                                    ? "Too many open connections from your address."
                                                    : "Too many new connections from your address; "
                                                      "slow down."),
                            .extra_headers = retry});
        return Accept(l);
      }
    }
    auto c = std::make_shared<TcpConnection>(l.shard, std::move(socket), options_, stats_,
                                             std::move(ip), gate_);
    l.shard.Add(c);
    c->Start();
    Accept(l);
  });
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  for (auto& l : listeners_) {
    std::promise<void> done;
    l->shard.Post([&] {
      error_code ec;
      l->acceptor.close(ec);
      l->shard.BeginShutdown();
      done.set_value();
    });
    done.get_future().wait();
  }
  // Wait for the closing handshakes to finish, polling each shard on its own thread.
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    size_t open = 0;
    for (auto& s : shards_) {
      std::promise<size_t> count;
      s->Post([&] { count.set_value(s->connection_count()); });
      open += count.get_future().get();
    }
    if (open == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& s : shards_) s->Stop();
  for (auto& s : shards_) s->Join();
}

}  // namespace parley::net
