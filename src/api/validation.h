// The rules for names and chat text that every entry point shares. Pure functions.
#pragma once

#include <string_view>

#include "base/status.h"

namespace parley::api {

// 1..max_chars characters (code points) of valid UTF-8, no control characters, not only
// white space, and not a name reserved for parley (CheckNotReserved). Errors:
// invalid_username.
Status ValidateUsername(std::string_view name, int max_chars);
// The same character rules for a name that is not an author's (a visitor id): reserved
// names pass. Errors: invalid_username.
Status ValidateNameChars(std::string_view name, int max_chars);
// The name parley's assistant posts under; no user may take it (ValidateUsername refuses it).
inline constexpr std::string_view kAiUsername = "ai";
// Ok, or invalid_username for the names reserved for parley itself ("ai", any case).
Status CheckNotReserved(std::string_view username);
// 1..max_chars characters from [A-Za-z0-9_.-]. Errors: invalid_room.
Status ValidateRoom(std::string_view room, int max_chars);
// Chat text: at most max_bytes bytes and not only white space. Errors: message_too_large,
// empty_message. REQUIRES: valid UTF-8 (the WebSocket layer checked it).
Status ValidateMessage(std::string_view text, int max_bytes);

}  // namespace parley::api
