#include "net/shard.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/log.h"
#include "net/tcp_connection.h"

namespace parley::net {
namespace asio = boost::asio;

namespace {
thread_local Shard* current_shard = nullptr;
// One receive buffer per shard: every socket's read lands here first.
constexpr size_t kRecvBufferBytes = 256 * 1024;
}  // namespace

struct Shard::Ticker {
  explicit Ticker(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

Shard::Shard(int index, int count)
    : index_(index),
      count_(count),
      io_(std::make_unique<asio::io_context>(1)),
      ticker_(std::make_unique<Ticker>(*io_)),
      recv_buffer_(kRecvBufferBytes) {}

Shard::~Shard() {
  // Connections hold references to this shard: drop them before the loop goes.
  for (auto& [id, c] : connections_) c->Abort();
  connections_.clear();
  corked_.clear();
}

Shard* Shard::Current() { return current_shard; }

void Shard::Post(std::function<void()> fn) {
  bool wake = false;
  {
    std::lock_guard lock(inbox_mu_);
    wake = inbox_.empty();
    inbox_.push_back(std::move(fn));
  }
  if (wake) asio::post(*io_, [this] { DrainInbox(); });
}

void Shard::Dispatch(std::function<void()> fn) {
  if (current_shard == this) {
    fn();
  } else {
    Post(std::move(fn));
  }
}

void Shard::DrainInbox() {
  {
    std::lock_guard lock(inbox_mu_);
    draining_.swap(inbox_);
  }
  for (auto& fn : draining_) fn();
  draining_.clear();
}

Connection* Shard::FindConnection(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end() || !it->second->is_open()) return nullptr;
  return it->second.get();
}

std::vector<Connection*> Shard::OpenConnections() {
  std::vector<Connection*> open;
  open.reserve(connections_.size());
  for (auto& [id, c] : connections_) {
    if (c->is_open()) open.push_back(c.get());
  }
  return open;
}

void Shard::Add(std::shared_ptr<TcpConnection> c) {
  const uint64_t id = c->id();
  connections_.emplace(id, std::move(c));
}

void Shard::Remove(uint64_t id) {
  if (removed_.empty()) {
    asio::post(*io_, [this] {
      for (uint64_t gone : removed_) connections_.erase(gone);
      removed_.clear();
    });
  }
  removed_.push_back(id);
}

void Shard::Cork(std::shared_ptr<TcpConnection> c) {
  if (corked_.empty()) asio::post(*io_, [this] { FlushCorked(); });
  corked_.push_back(std::move(c));
}

void Shard::FlushCorked() {
  flushing_.swap(corked_);  // a Flush may cork again: that lands in corked_, a new turn
  for (auto& c : flushing_) c->Flush();
  flushing_.clear();
}

void Shard::ArmTicker() {
  ticker_->timer.expires_after(std::chrono::seconds(1));
  ticker_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    wheel_.Tick();
    ArmTicker();
  });
}

void Shard::Start(std::function<void()> on_thread_start) {
  thread_ = std::thread([this, on_thread_start = std::move(on_thread_start)] {
    current_shard = this;
    ArmTicker();
    if (on_thread_start) on_thread_start();
    io_->run();
    current_shard = nullptr;
  });
}

void Shard::BeginShutdown() {
  shutting_down_ = true;
  std::vector<std::shared_ptr<TcpConnection>> all;
  all.reserve(connections_.size());
  for (auto& [id, c] : connections_) all.push_back(c);
  for (auto& c : all) {
    if (c->is_websocket()) {
      c->Close(1001, "server shutting down");
    } else {
      c->Close(1001, "");
    }
  }
}

void Shard::Stop() { io_->stop(); }

void Shard::Join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace parley::net
