// RoomAccess: which rooms are private and who may enter them.
//
// Rooms are public unless auth.private_rooms lists them:
//   private_rooms = "staff=alice|bob, ops=carol"
// A private room admits an authenticated user (JWT) whose id is in its list, or whose
// token's "rooms" claim names it. A token with a "rooms" claim is also limited to those
// rooms, public or private. A self-chosen ?username= never opens a private room.
//
// Built at startup, then only read (any thread).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/identity.h"
#include "base/status.h"

namespace parley::auth {

class RoomAccess {
 public:
  // Parses the setting; a one-line kBadRequest error names the bad entry.
  static Result<RoomAccess> Parse(std::string_view setting);

  // Ok, or kPrivateRoom with a sentence naming the room.
  Status Check(const Identity& who, std::string_view room) const;
  bool IsPrivate(std::string_view room) const;

 private:
  std::unordered_map<std::string, std::vector<std::string>> members_;
};

}  // namespace parley::auth
