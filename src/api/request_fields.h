// The field readers and content rules that every JSON request of a chat message shares: the
// native socket's frames (native_request.h) and the REST message API's bodies
// (message_request.h), so a message or a reaction is held to one set of rules whichever way it
// comes in. Pure functions over a parsed simdjson object; no I/O.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/config.h"
#include "base/status.h"

namespace parley::api {

// Longest replyTo/messageId: parley's ids are 16 hex characters, so a longer one can only
// be refused; this bounds the copy, it is not a setting.
inline constexpr size_t kMaxIdBytes = 64;

// invalid_field: "Field '<field>' <rule>."
Status FieldError(std::string_view field, std::string_view rule);

// Reads the fields of one object; every getter names the field in its error.
class Fields {
 public:
  explicit Fields(simdjson::dom::object obj) : obj_(obj) {}

  // True when `key` is present and not null.
  bool Has(std::string_view key) const;
  // A string of 1..max_bytes bytes (0..max_bytes when !required and absent).
  Status String(std::string_view key, size_t max_bytes, bool required, std::string& out) const;
  Status Int(std::string_view key, int64_t min, int64_t max, bool required,
             std::optional<int64_t>& out) const;
  // Any string, empty included (the caller judges its content).
  Status AnyString(std::string_view key, std::string& out) const;
  Status Bool(std::string_view key, bool& out) const;

 private:
  simdjson::dom::object obj_;
};

// A chat message's content: imageUrl (optional, a link a browser can show), the text under
// `text_key` (ValidateMessage's codes; it may be empty when an image goes alone) and replyTo
// (optional). The clientId is the caller's.
struct MessageContent {
  std::string text;
  std::string image_url;
  std::string reply_to;
};
Status ReadMessageContent(const Fields& f, const LimitsConfig& limits, std::string_view text_key,
                          MessageContent& out);
// Chat text under `key`: present, a string, and ValidateMessage's rules (message_too_large,
// empty_message).
Status ReadChatText(const Fields& f, const LimitsConfig& limits, std::string_view key,
                    std::string& out);
// A reaction's emoji: 1..max_emoji_bytes, no spaces or control characters.
Status ReadEmoji(const Fields& f, const LimitsConfig& limits, std::string& out);

}  // namespace parley::api
