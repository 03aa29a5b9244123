// Server: the shards, their listening sockets, and the process's lifecycle.
//
// Every shard binds the same address with SO_REUSEPORT and accepts its own connections,
// so the kernel spreads connections across shards and a connection never changes thread.
// Thread: construct, Bind, Run and Shutdown from the main thread.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "base/status.h"
#include "net/options.h"
#include "net/shard.h"

namespace parley::guard {
class ConnectionGate;
}

namespace parley::net {

class Server {
 public:
  explicit Server(NetOptions options);
  ~Server();

  // Creates the shards and binds every listener. port() is known afterwards.
  Status Bind();
  // Checks each accepted socket against the per-IP caps (REQUIRES: before Run; `gate`
  // outlives the server).
  void set_gate(guard::ConnectionGate* gate) { gate_ = gate; }
  // Starts the shard threads; each begins accepting.
  void Run();
  // Stops accepting, closes every WebSocket with 1001 and waits until the sockets are gone
  // or `grace` has passed; then stops the loops and joins the threads.
  void Shutdown(std::chrono::milliseconds grace);

  uint16_t port() const { return port_; }
  std::vector<Shard*> shards() const;
  const NetStats& stats() const { return stats_; }

 private:
  struct Listener;
  void Accept(Listener& l);

  NetOptions options_;
  NetStats stats_;
  guard::ConnectionGate* gate_ = nullptr;
  uint16_t port_ = 0;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::unique_ptr<Listener>> listeners_;
};

}  // namespace parley::net
