#include "api/native_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <utility>

#include "api/validation.h"

namespace parley::api {
namespace {

using Type = NativeRequest::Type;
namespace dom = simdjson::dom;

constexpr std::array<std::pair<std::string_view, Type>, 10> kTypes = {{
    {"ping", Type::kPing},
    {"join", Type::kJoin},
    {"leave", Type::kLeave},
    {"message", Type::kMessage},
    {"typing", Type::kTyping},
    {"react", Type::kReact},
    {"edit", Type::kEdit},
    {"delete", Type::kDelete},
    {"read", Type::kRead},
    {"history", Type::kHistory},
}};

// Longest replyTo/messageId: parley's ids are 16 hex characters, so a longer one can only
// be refused; this bounds the copy, it is not a setting.
constexpr size_t kMaxIdBytes = 64;

Status FieldError(std::string_view field, std::string_view rule) {
  return Status(ErrorCode::kInvalidField, fmt::format("Field '{}' {}.", field, rule));
}

// Reads the fields of one object; every getter names the field in its error.
class Fields {
 public:
  explicit Fields(dom::object obj) : obj_(obj) {}

  // A string of 1..max_bytes bytes (0..max_bytes when !required and absent).
  Status String(std::string_view key, size_t max_bytes, bool required, std::string& out) const {
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

  Status Int(std::string_view key, int64_t min, int64_t max, bool required,
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

  // Any string, empty included (the caller judges its content).
  Status AnyString(std::string_view key, std::string& out) const {
    dom::element el;
    if (obj_.at_key(key).get(el) != simdjson::SUCCESS || el.is_null()) {
      return FieldError(key, "is required");
    }
    std::string_view v;
    if (el.get_string().get(v) != simdjson::SUCCESS) return FieldError(key, "must be a string");
    out.assign(v);
    return Status::Ok();
  }

  Status Bool(std::string_view key, bool& out) const {
    dom::element el;
    if (obj_.at_key(key).get(el) != simdjson::SUCCESS) return FieldError(key, "is required");
    if (el.get_bool().get(out) != simdjson::SUCCESS)
      return FieldError(key, "must be true or false");
    return Status::Ok();
  }

 private:
  dom::object obj_;
};

// Chat text: ValidateMessage gives the stable codes (message_too_large, empty_message).
Status ChatText(const Fields& f, const LimitsConfig& limits, std::string& out) {
  if (Status s = f.AnyString("text", out); !s.ok()) return s;
  return ValidateMessage(out, limits.max_message_bytes);
}

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

Status ParseFields(const Fields& f, const LimitsConfig& limits, NativeRequest& r) {
  const auto max_ref = static_cast<size_t>(limits.max_client_id_bytes);
  if (Status s = f.String("ref", max_ref, false, r.ref); !s.ok()) return s;
  if (r.type == Type::kPing) return Status::Ok();

  if (Status s = f.String("room", 4 * static_cast<size_t>(limits.max_room_chars), true, r.room);
      !s.ok()) {
    return s;
  }
  if (Status s = ValidateRoom(r.room, limits.max_room_chars); !s.ok()) return s;

  std::optional<int64_t> n;
  switch (r.type) {
    case Type::kPing:
    case Type::kLeave:
      return Status::Ok();
    case Type::kJoin:
      return f.Int("since", 0, INT64_MAX, false, r.since);
    case Type::kMessage: {
      if (Status s = f.String("clientId", max_ref, true, r.client_id); !s.ok()) return s;
      if (r.ref.empty()) r.ref = r.client_id;
      if (Status s = f.String("imageUrl", static_cast<size_t>(limits.max_image_url_bytes), false,
                              r.image_url);
          !s.ok()) {
        return s;
      }
      if (!r.image_url.empty()) {
        if (Status s = CheckImageUrl(r.image_url); !s.ok()) return s;
      }
      // An image may go alone: with an imageUrl the text may be empty.
      if (Status s = ChatText(f, limits, r.text);
          !s.ok() && !(s.code() == ErrorCode::kEmptyMessage && !r.image_url.empty())) {
        return s;
      }
      return f.String("replyTo", kMaxIdBytes, false, r.reply_to);
    }
    case Type::kTyping:
      return f.Bool("active", r.active);
    case Type::kReact:
      if (Status s = f.String("messageId", kMaxIdBytes, true, r.message_id); !s.ok()) return s;
      if (Status s = f.String("emoji", static_cast<size_t>(limits.max_emoji_bytes), true, r.emoji);
          !s.ok()) {
        return s;
      }
      return CheckEmoji(r.emoji);
    case Type::kEdit:
      if (Status s = f.String("messageId", kMaxIdBytes, true, r.message_id); !s.ok()) return s;
      return ChatText(f, limits, r.text);
    case Type::kDelete:
      return f.String("messageId", kMaxIdBytes, true, r.message_id);
    case Type::kRead:
      if (Status s = f.Int("seq", 0, INT64_MAX, true, n); !s.ok()) return s;
      r.seq = *n;
      return Status::Ok();
    case Type::kHistory:
      if (Status s = f.Int("before", 0, INT64_MAX, false, n); !s.ok()) return s;
      r.before = n.value_or(0);
      n.reset();
      // Overflow rule: a limit above the largest page is clamped to it.
      if (Status s = f.Int("limit", 1, INT32_MAX, false, n); !s.ok()) return s;
      r.limit = static_cast<int>(std::min<int64_t>(n.value_or(0), limits.max_history_page));
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

Result<NativeRequest> ParseNativeRequest(std::string_view payload, const LimitsConfig& limits,
                                         std::string& ref_out) {
  // One parser per thread: it keeps its buffers, so parsing allocates nothing once warm.
  thread_local dom::parser parser;
  dom::element doc;
  dom::object obj;
  // An empty view may have a null data(), which simdjson must not be given.
  if (payload.empty() ||
      parser.parse(payload.data(), payload.size()).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(obj) != simdjson::SUCCESS) {
    return Status(ErrorCode::kBadRequest, "A frame is one JSON object with a \"type\".");
  }
  const Fields fields(obj);
  // The ref (or clientId) first, so even a rejected frame can be matched to its request.
  std::string_view ref;
  if (obj.at_key("ref").get_string().get(ref) == simdjson::SUCCESS ||
      obj.at_key("clientId").get_string().get(ref) == simdjson::SUCCESS) {
    if (ref.size() <= static_cast<size_t>(limits.max_client_id_bytes)) ref_out.assign(ref);
  }
  std::string_view type;
  if (obj.at_key("type").get_string().get(type) != simdjson::SUCCESS) {
    return FieldError("type", "is required and must be a string");
  }
  auto it = std::find_if(kTypes.begin(), kTypes.end(),
                         [&](const auto& entry) { return entry.first == type; });
  if (it == kTypes.end()) {
    return Status(ErrorCode::kUnknownType, fmt::format("Unknown type \"{}\".", type.substr(0, 32)));
  }
  NativeRequest r;
  r.type = it->second;
  if (Status s = ParseFields(fields, limits, r); !s.ok()) return s;
  return r;
}

}  // namespace parley::api
