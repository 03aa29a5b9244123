// StoredMessage: one chat message as the store keeps it. Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace parley {

// One emoji on a message and who put it there, in the order they reacted.
struct Reaction {
  std::string emoji{};
  std::vector<std::string> users{};

  bool operator==(const Reaction&) const = default;
};

struct StoredMessage {
  std::string room{};
  int64_t seq = 0;   // 1, 2, 3 ... per room, no gaps
  std::string id{};  // globally unique, opaque string
  std::string username{};
  std::string text{};
  int64_t timestamp_ms = 0;           // Unix epoch milliseconds, assigned by the room
  std::string client_id{};            // the sender's idempotency key; may be empty
  std::string reply_to{};             // id of the message this one answers; may be empty
  std::string image_url{};            // may be empty
  int64_t edited_ms = 0;              // when the text was last edited; 0 = never
  bool deleted = false;               // a tombstone: text, image and reactions are gone
  std::vector<Reaction> reactions{};  // in the order each emoji was first used

  bool operator==(const StoredMessage&) const = default;
};

}  // namespace parley
