#include "api/message_request.h"

#include <simdjson.h>

#include "api/request_fields.h"
#include "api/validation.h"
#include "protocol/ws/utf8.h"

namespace parley::api {
namespace {

namespace dom = simdjson::dom;

// The body as a JSON object, or bad_request. The HTTP layer does not check UTF-8, so this
// does (simdjson would refuse it too, but the rule is stated here).
Result<dom::object> ParseObject(std::string_view body, dom::parser& parser) {
  dom::element doc;
  dom::object obj;
  if (body.empty() || !ws::IsValidUtf8(body) ||
      parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(obj) != simdjson::SUCCESS) {
    return Status(ErrorCode::kBadRequest, "The body must be one JSON object (UTF-8).");
  }
  return obj;
}

Status ReadRoom(const Fields& f, const LimitsConfig& limits, std::string& out) {
  if (Status s = f.String("room", 4 * static_cast<size_t>(limits.max_room_chars), true, out);
      !s.ok()) {
    return s;
  }
  return ValidateRoom(out, limits.max_room_chars);
}

// The optional self-chosen name. Its content is judged by the route, with ValidateUsername,
// only when the request has no user credential; this bounds the copy.
Status ReadUsername(const Fields& f, const LimitsConfig& limits, std::string& out) {
  if (!f.Has("username")) return Status::Ok();
  if (Status s = f.AnyString("username", out); !s.ok()) return s;
  if (out.size() > 4 * static_cast<size_t>(limits.max_username_chars)) {
    return ValidateUsername(out, limits.max_username_chars);
  }
  return Status::Ok();
}

}  // namespace

Result<PostMessageBody> ParsePostMessageBody(std::string_view body, const LimitsConfig& limits,
                                             std::optional<std::string_view> idempotency_key) {
  thread_local dom::parser parser;
  auto obj = ParseObject(body, parser);
  if (!obj.ok()) return obj.status();
  const Fields f(*obj);
  PostMessageBody out;
  if (Status s = ReadRoom(f, limits, out.room); !s.ok()) return s;
  const auto max_key = static_cast<size_t>(limits.max_client_id_bytes);
  if (Status s = f.String("clientId", max_key, false, out.client_id); !s.ok()) return s;
  if (idempotency_key) {
    if (idempotency_key->empty() || idempotency_key->size() > max_key) {
      return Status(ErrorCode::kInvalidField,
                    "Header 'Idempotency-Key' is 1 to max_client_id_bytes bytes.");
    }
    if (out.client_id.empty()) {
      out.client_id.assign(*idempotency_key);
    } else if (out.client_id != *idempotency_key) {
      return FieldError("clientId", "must equal the Idempotency-Key header when both are given");
    }
  }
  const bool content = f.Has("content");
  if (content && f.Has("text")) return FieldError("content", "and 'text' are one field: give one");
  MessageContent c;
  if (Status s = ReadMessageContent(f, limits, content ? "content" : "text", c); !s.ok()) return s;
  out.text = std::move(c.text);
  out.image_url = std::move(c.image_url);
  out.reply_to = std::move(c.reply_to);
  if (Status s = ReadUsername(f, limits, out.username); !s.ok()) return s;
  return out;
}

Result<ReactBody> ParseReactBody(std::string_view body, const LimitsConfig& limits) {
  thread_local dom::parser parser;
  auto obj = ParseObject(body, parser);
  if (!obj.ok()) return obj.status();
  const Fields f(*obj);
  ReactBody out;
  if (Status s = ReadRoom(f, limits, out.room); !s.ok()) return s;
  if (Status s = ReadEmoji(f, limits, out.emoji); !s.ok()) return s;
  if (Status s = ReadUsername(f, limits, out.username); !s.ok()) return s;
  return out;
}

std::optional<std::string_view> ReactPathId(std::string_view path) {
  constexpr std::string_view kPrefix = "/api/messages/";
  constexpr std::string_view kSuffix = "/react";
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) return std::nullopt;
  if (path.size() < kPrefix.size() + kSuffix.size()) return std::nullopt;
  const std::string_view id =
      path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  if (id.empty() || id.size() > kMaxIdBytes || id.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return id;
}

}  // namespace parley::api
