// StoredMessage: one chat message as the store keeps it. Plain value.
#pragma once

#include <cstdint>
#include <string>

namespace parley {

struct StoredMessage {
  std::string room;
  int64_t seq = 0;  // 1, 2, 3 ... per room, no gaps
  std::string id;   // globally unique, opaque string
  std::string username;
  std::string text;
  int64_t timestamp_ms = 0;  // Unix epoch milliseconds, assigned by the room
  std::string client_id;     // the sender's idempotency key; may be empty

  bool operator==(const StoredMessage&) const = default;
};

}  // namespace parley
