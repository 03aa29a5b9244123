#include "api/request_fields.h"

#include <fmt/format.h>

#include "api/validation.h"

namespace parley::api {
namespace {

namespace dom = simdjson::dom;

// An emoji is short and printable: no white space and no control characters.
Status CheckEmoji(std::string_view emoji) {
  for (unsigned char c : emoji) {
    if (c <= 0x20 || c == 0x7F) return FieldError("emoji", "must not contain spaces or controls");
  }
  return Status::Ok();
}

// Only links a browser can show as an image, never javascript: or data: URLs.
Status CheckImageUrl(std::string_view url) {
  if (url.starts_with("https://") || url.starts_with("http://") || url.starts_with("/files/")) {
    return Status::Ok();
  }
  return FieldError("imageUrl", "must start with https://, http:// or /files/");
}

}  // namespace

Status FieldError(std::string_view field, std::string_view rule) {
  return Status(ErrorCode::kInvalidField, fmt::format("Field '{}' {}.", field, rule));
}

bool Fields::Has(std::string_view key) const {
  dom::element el;
  return obj_.at_key(key).get(el) == simdjson::SUCCESS && !el.is_null();
}

Status Fields::String(std::string_view key, size_t max_bytes, bool required,
                      std::string& out) const {
  dom::element el;
  if (obj_.at_key(key).get(el) != simdjson::SUCCESS || el.is_null()) {
    return required ? FieldError(key, "is required") : Status::Ok();
  }
  std::string_view v;
  if (el.get_string().get(v) != simdjson::SUCCESS) return FieldError(key, "must be a string");
  if (v.empty()) return FieldError(key, "must not be empty");
  if (v.size() > max_bytes) {
    return FieldError(key,
                      fmt::format("is at most {} bytes; this one has {}", max_bytes, v.size()));
  }
  out.assign(v);
  return Status::Ok();
}

Status Fields::Int(std::string_view key, int64_t min, int64_t max, bool required,
                   std::optional<int64_t>& out) const {
  dom::element el;
  if (obj_.at_key(key).get(el) != simdjson::SUCCESS || el.is_null()) {
    return required ? FieldError(key, "is required") : Status::Ok();
  }
  int64_t v = 0;
  if (el.get_int64().get(v) != simdjson::SUCCESS || v < min || v > max) {
    return FieldError(key, fmt::format("must be an integer from {} to {}", min, max));
  }
  out = v;
  return Status::Ok();
}

Status Fields::AnyString(std::string_view key, std::string& out) const {
  dom::element el;
  if (obj_.at_key(key).get(el) != simdjson::SUCCESS || el.is_null()) {
    return FieldError(key, "is required");
  }
  std::string_view v;
  if (el.get_string().get(v) != simdjson::SUCCESS) return FieldError(key, "must be a string");
  out.assign(v);
  return Status::Ok();
}

Status Fields::Bool(std::string_view key, bool& out) const {
  dom::element el;
  if (obj_.at_key(key).get(el) != simdjson::SUCCESS) return FieldError(key, "is required");
  if (el.get_bool().get(out) != simdjson::SUCCESS) return FieldError(key, "must be true or false");
  return Status::Ok();
}

Status ReadChatText(const Fields& f, const LimitsConfig& limits, std::string_view key,
                    std::string& out) {
  if (Status s = f.AnyString(key, out); !s.ok()) return s;
  return ValidateMessage(out, limits.max_message_bytes);
}

Status ReadMessageContent(const Fields& f, const LimitsConfig& limits, std::string_view text_key,
                          MessageContent& out) {
  if (Status s = f.String("imageUrl", static_cast<size_t>(limits.max_image_url_bytes), false,
                          out.image_url);
      !s.ok()) {
    return s;
  }
  if (!out.image_url.empty()) {
    if (Status s = CheckImageUrl(out.image_url); !s.ok()) return s;
  }
  // An image may go alone: with an imageUrl the text may be empty.
  if (Status s = ReadChatText(f, limits, text_key, out.text);
      !s.ok() && !(s.code() == ErrorCode::kEmptyMessage && !out.image_url.empty())) {
    return s;
  }
  return f.String("replyTo", kMaxIdBytes, false, out.reply_to);
}

Status ReadEmoji(const Fields& f, const LimitsConfig& limits, std::string& out) {
  if (Status s = f.String("emoji", static_cast<size_t>(limits.max_emoji_bytes), true, out);
      !s.ok()) {
    return s;
  }
  return CheckEmoji(out);
}

}  // namespace parley::api
