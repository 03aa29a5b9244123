#include "room/hub.h"

#include <algorithm>

#include "base/metrics.h"
#include "protocol/packet.h"

namespace parley::room {
namespace {

// Added once per delivery (not per recipient), so counting costs nothing per socket.
metrics::Counter& Deliveries() {
  static auto& c = metrics::Default().AddCounter(
      "parley_deliveries_total", "Frames queued to WebSocket recipients by room fan-out.");
  return c;
}

metrics::Counter& DeliveredBytes() {
  static auto& c = metrics::Default().AddCounter("parley_delivered_bytes_total",
                                                 "Bytes queued to recipients by room fan-out.");
  return c;
}

}  // namespace

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

std::unordered_map<const net::Connection*, std::vector<std::string>> Hub::TopicsByConnection()
    const {
  std::unordered_map<const net::Connection*, std::vector<std::string>> out;
  for (const auto& [topic, list] : rooms_) {
    for (const net::Connection* c : list) out[c].push_back(topic);
  }
  return out;
}

void Hub::Deliver(const std::string& room, const SharedFrame& frame, bool droppable) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  // Sockets that read binary packets share one packet frame, made for the first of them:
  // each format is encoded at most once per delivery, never per recipient. (Every socket
  // has the same compression threshold: limits.packet_compress_min_bytes.)
  SharedFrame packet;
  for (net::Connection* c : it->second) {
    if (const std::optional<size_t> min = c->packet_output()) {
      if (!packet) packet = packet::TextToPacketFrame(frame, *min);
      c->Send(packet, droppable);
    } else {
      c->Send(frame, droppable);
    }
  }
  Deliveries().Add(static_cast<int64_t>(it->second.size()));
  DeliveredBytes().Add(static_cast<int64_t>(it->second.size() * frame->size()));
}

size_t Hub::subscribers(const std::string& room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.size();
}

}  // namespace parley::room
