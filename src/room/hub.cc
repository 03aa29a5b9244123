#include "room/hub.h"

#include <algorithm>

namespace parley::room {

void Hub::Subscribe(const std::string& room, net::Connection* c) { rooms_[room].push_back(c); }

void Hub::Unsubscribe(const std::string& room, net::Connection* c) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  auto& list = it->second;
  auto pos = std::find(list.begin(), list.end(), c);
  if (pos == list.end()) return;
  *pos = list.back();  // order among subscribers does not matter
  list.pop_back();
  if (list.empty()) rooms_.erase(it);
}

void Hub::Deliver(const std::string& room, const SharedFrame& frame) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  for (net::Connection* c : it->second) c->Send(frame);
}

size_t Hub::subscribers(const std::string& room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.size();
}

}  // namespace parley::room
