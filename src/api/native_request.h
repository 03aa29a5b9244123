// NativeRequest: one client frame of the native protocol v1, parsed and checked against the
// limits. Pure: no I/O, no state; fuzzed by parley_input_fuzz.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/config.h"
#include "base/status.h"

namespace parley::api {

struct NativeRequest {
  enum class Type {
    kPing,
    kJoin,
    kLeave,
    kMessage,
    kTyping,
    kReact,
    kEdit,
    kDelete,
    kRead,
    kHistory
  };
  Type type = Type::kPing;
  std::string room;
  std::string ref;               // echoed in an error about this request
  std::string text;              // message, edit
  std::string client_id;         // message
  std::string reply_to;          // message
  std::string image_url;         // message
  std::string message_id;        // react, edit, delete
  std::string emoji;             // react
  std::optional<int64_t> since;  // join
  int64_t before = 0;            // history
  int limit = 0;                 // history; 0 = the default page
  int64_t seq = 0;               // read
  bool active = false;           // typing
};

// Parses `payload` (REQUIRES: valid UTF-8, the WebSocket layer checked it). Errors:
// bad_request (not a JSON object), unknown_type, invalid_field (missing, wrong type or over
// its limit: the message names the field), invalid_room, message_too_large, empty_message.
// On error `ref_out` holds the request's ref (or clientId) when it could be read.
Result<NativeRequest> ParseNativeRequest(std::string_view payload, const LimitsConfig& limits,
                                         std::string& ref_out);

}  // namespace parley::api
