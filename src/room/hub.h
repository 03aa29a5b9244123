// Hub: for one shard, which of its local connections are subscribed to which room.
// A room's home shard sends one delivery per shard; the hub fans it out locally by
// queueing the same shared frame on each connection. Shard-thread only.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "net/connection.h"
#include "protocol/shared_frame.h"

namespace parley::room {

class Hub {
 public:
  void Subscribe(const std::string& room, net::Connection* c);
  // Removes `c` from `room`; a no-op when it was not subscribed.
  void Unsubscribe(const std::string& room, net::Connection* c);
  // Queues `frame` on every connection subscribed to `room` here (see Connection::Send for
  // `droppable`).
  void Deliver(const std::string& room, const SharedFrame& frame, bool droppable = false);
  size_t subscribers(const std::string& room) const;
  // The topics each local connection is subscribed to (a seed 003 member's topic is
  // Seed003Topic(room)), for moderation's listing.
  std::unordered_map<const net::Connection*, std::vector<std::string>> TopicsByConnection() const;

 private:
  std::unordered_map<std::string, std::vector<net::Connection*>> rooms_;
};

}  // namespace parley::room
