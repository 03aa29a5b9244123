// The JSON bodies of the REST message API (docs/protocol.md, "REST message API"):
// POST /api/messages and PUT /api/messages/:id/react, parsed and checked against the limits
// with the native socket's rules for the same fields (request_fields.h). Pure: no I/O, no
// state; fuzzed by parley_input_fuzz.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/config.h"
#include "base/status.h"

namespace parley::api {

// POST /api/messages {room, content|text, clientId?, replyTo?, imageUrl?, username?}
struct PostMessageBody {
  std::string room;
  std::string text;       // from "content" (seed 002's column) or "text" (the socket's field)
  std::string client_id;  // the idempotency key: "clientId" or the Idempotency-Key header
  std::string reply_to;
  std::string image_url;
  std::string username;  // the chosen name of an anonymous author; "" when absent
};

// Parses a POST /api/messages body. `idempotency_key` is the Idempotency-Key header, if any:
// it is the clientId when the body has none, and must equal it when both are given. Errors:
// bad_request (not UTF-8, not a JSON object), invalid_field (missing, wrong type, over its
// limit, content and text both given, two different keys: the message names the field),
// invalid_room, invalid_username (a username over max_username_chars), message_too_large,
// empty_message.
Result<PostMessageBody> ParsePostMessageBody(std::string_view body, const LimitsConfig& limits,
                                             std::optional<std::string_view> idempotency_key);

// PUT /api/messages/:id/react {room, emoji, username?}
struct ReactBody {
  std::string room;
  std::string emoji;
  std::string username;  // as in PostMessageBody
};

// Parses a PUT /api/messages/:id/react body. Errors as ParsePostMessageBody's, with the
// emoji's rules (invalid_field) in place of the text's.
Result<ReactBody> ParseReactBody(std::string_view body, const LimitsConfig& limits);

// The :id of /api/messages/:id/react: a message id within the socket's length bound, or
// nullopt for any other path.
std::optional<std::string_view> ReactPathId(std::string_view path);

}  // namespace parley::api
