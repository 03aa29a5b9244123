// Shard: one thread running one event loop. parley runs one shard per core; a connection
// lives on the shard that accepted it for its whole life, and a room lives on its home
// shard, so neither needs locks.
//
// Post() is the one thread-safe entry: closures posted from any thread run on the shard
// thread in the order they were posted (per poster). Everything else is shard-thread only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/timer_wheel.h"

namespace boost::asio {
class io_context;
}

namespace parley::net {

class Connection;
class TcpConnection;
class HttpHandler;

class Shard {
 public:
  Shard(int index, int count);
  ~Shard();
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  int index() const { return index_; }
  int count() const { return count_; }

  // Thread-safe. Runs `fn` on this shard's thread. Closures posted while the shard is
  // draining its inbox are batched: one wake-up runs them all.
  void Post(std::function<void()> fn);
  // Runs `fn` now when called on this shard's thread, otherwise posts it.
  void Dispatch(std::function<void()> fn);
  // The shard whose thread is running the caller, or nullptr.
  static Shard* Current();

  // Shard-thread only from here on.
  Connection* FindConnection(uint64_t id);
  size_t connection_count() const { return connections_.size(); }
  // Every open connection of this shard, in no particular order (moderation lists and
  // closes them). Valid until the shard runs anything else.
  std::vector<Connection*> OpenConnections();
  HttpHandler* http_handler() const { return http_handler_; }
  void set_http_handler(HttpHandler* h) { http_handler_ = h; }
  bool shutting_down() const { return shutting_down_; }

  // net/ internals.
  boost::asio::io_context& io() { return *io_; }
  TimerWheel& wheel() { return wheel_; }
  std::span<uint8_t> recv_buffer() { return {recv_buffer_.data(), recv_buffer_.size()}; }
  uint64_t NextConnectionId() { return ++last_connection_id_; }
  void Add(std::shared_ptr<TcpConnection> c);
  // Forgets a closed connection at the end of this loop turn (never destroys it inside
  // one of its own callbacks).
  void Remove(uint64_t id);
  // Queues `c` to write its output once the current loop turn's work is done (corking).
  void Cork(std::shared_ptr<TcpConnection> c);

  // Lifecycle, called by Server.
  void Start(std::function<void()> on_thread_start);
  void BeginShutdown();  // close every WebSocket with 1001, close idle HTTP sockets
  void Stop();           // stop the loop (after shutdown or on error)
  void Join();

 private:
  void DrainInbox();
  void FlushCorked();
  void ArmTicker();

  const int index_;
  const int count_;
  std::unique_ptr<boost::asio::io_context> io_;
  struct Ticker;
  std::unique_ptr<Ticker> ticker_;
  std::thread thread_;

  std::mutex inbox_mu_;
  std::vector<std::function<void()>> inbox_;  // guarded by inbox_mu_
  std::vector<std::function<void()>> draining_;

  std::unordered_map<uint64_t, std::shared_ptr<TcpConnection>> connections_;
  std::vector<std::shared_ptr<TcpConnection>> corked_;
  // The batch being flushed; kept, like draining_, so its capacity is reused every turn
  // (a fresh vector per turn made a large allocation and free per loop turn under load).
  std::vector<std::shared_ptr<TcpConnection>> flushing_;
  std::vector<uint64_t> removed_;
  std::vector<uint8_t> recv_buffer_;
  TimerWheel wheel_;
  HttpHandler* http_handler_ = nullptr;
  uint64_t last_connection_id_ = 0;
  bool shutting_down_ = false;
};

}  // namespace parley::net
