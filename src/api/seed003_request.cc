#include "api/seed003_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <utility>

#include "api/validation.h"

namespace parley::api {
namespace {

using Type = Seed003Request::Type;
namespace dom = simdjson::dom;

constexpr std::array<std::pair<std::string_view, Type>, 9> kTypes = {{
    {"join-room", Type::kJoinRoom},
    {"leave-room", Type::kLeaveRoom},
    {"send-message", Type::kSendMessage},
    {"visitor-joined-domain", Type::kVisitorJoined},
    {"visitor-left-domain", Type::kVisitorLeft},
    {"visitor-activity", Type::kVisitorActivity},
    {"get-domain-stats", Type::kGetDomainStats},
    {"ai-chat", Type::kAiChat},
    {"ai-stream", Type::kAiStream},
}};

Status FieldError(std::string_view field, std::string_view rule) {
  return Status(ErrorCode::kInvalidField, fmt::format("Field '{}' {}.", field, rule));
}

// A string field, or "" (absent or null) when `required` is false.
Status GetString(dom::object obj, std::string_view key, bool required, std::string& out) {
  dom::element el;
  if (obj.at_key(key).get(el) != simdjson::SUCCESS || el.is_null()) {
    return required ? FieldError(key, "is required") : Status::Ok();
  }
  std::string_view v;
  if (el.get_string().get(v) != simdjson::SUCCESS) return FieldError(key, "must be a string");
  out.assign(v);
  return Status::Ok();
}

// An identifier shown to people (userId, visitorId): the username rules, as invalid_field.
Status GetName(dom::object obj, std::string_view key, int max_chars, std::string& out) {
  if (Status st = GetString(obj, key, true, out); !st.ok()) return st;
  if (Status st = ValidateNameChars(out, max_chars); !st.ok()) {
    return FieldError(
        key, fmt::format("must be 1 to {} characters, without control characters", max_chars));
  }
  return Status::Ok();
}

// domainId: 1..max characters from letters, digits and . - _ : (a host name, with a port).
Status GetDomain(dom::object obj, int max_chars, std::string& out) {
  if (Status st = GetString(obj, "domainId", true, out); !st.ok()) {
    return Status(ErrorCode::kInvalidDomain, st.message());
  }
  return ValidateDomain(out, max_chars);
}

Status GetVisitorData(dom::object obj, const Seed003Limits& limits, Seed003Request& r) {
  dom::element el;
  if (obj.at_key("visitorData").get(el) != simdjson::SUCCESS || el.is_null()) return Status::Ok();
  r.visitor_data = simdjson::minify(el);
  if (r.visitor_data.size() > static_cast<size_t>(limits.max_visitor_data_bytes)) {
    return Status(ErrorCode::kVisitorDataTooLarge,
                  fmt::format("Field 'visitorData' is at most {} bytes of JSON; this one has {}.",
                              limits.max_visitor_data_bytes, r.visitor_data.size()));
  }
  dom::object data;
  if (el.get_object().get(data) != simdjson::SUCCESS) return Status::Ok();
  std::string_view v;
  for (std::string_view key : {"page", "url", "pageUrl"}) {
    if (data.at_key(key).get_string().get(v) == simdjson::SUCCESS && !v.empty()) {
      r.page.assign(v);
      break;
    }
  }
  if (data.at_key("userAgent").get_string().get(v) == simdjson::SUCCESS) r.user_agent.assign(v);
  return Status::Ok();
}

Status DecodeVisitorFields(dom::object obj, bool with_data, const Seed003Limits& limits,
                           Seed003Request& r) {
  if (Status st = GetDomain(obj, limits.max_domain_chars, r.domain_id); !st.ok()) return st;
  if (Status st = GetName(obj, "visitorId", limits.max_field_chars, r.visitor_id); !st.ok()) {
    return st;
  }
  return with_data ? GetVisitorData(obj, limits, r) : Status::Ok();
}

Status DecodeFields(dom::object obj, const Seed003Limits& limits, Seed003Request& r) {
  switch (r.type) {
    case Type::kForeign:
    case Type::kAiChat:
    case Type::kAiStream:
      return Status::Ok();  // answered without looking at the fields
    case Type::kJoinRoom:
      if (Status st = GetString(obj, "roomId", true, r.room_id); !st.ok()) return st;
      if (Status st = ValidateRoom(r.room_id, limits.max_room_chars); !st.ok()) return st;
      if (Status st = GetName(obj, "userId", limits.max_field_chars, r.user_id); !st.ok()) {
        return st;
      }
      if (Status st = GetString(obj, "userName", true, r.user_name); !st.ok()) return st;
      return ValidateUsername(r.user_name, limits.max_field_chars);
    case Type::kLeaveRoom:
      if (Status st = GetString(obj, "roomId", true, r.room_id); !st.ok()) return st;
      return ValidateRoom(r.room_id, limits.max_room_chars);
    case Type::kSendMessage:
      if (Status st = GetString(obj, "roomId", true, r.room_id); !st.ok()) return st;
      if (Status st = ValidateRoom(r.room_id, limits.max_room_chars); !st.ok()) return st;
      if (Status st = GetString(obj, "role", false, r.role); !st.ok()) return st;
      if (!r.role.empty() && r.role != "user" && r.role != "assistant") {
        return FieldError("role", "must be \"user\" or \"assistant\"");
      }
      // userId and userName in the frame are ignored: the author is who joined.
      if (Status st = GetString(obj, "message", true, r.message); !st.ok()) return st;
      return ValidateMessage(r.message, limits.max_message_bytes);
    case Type::kVisitorJoined:
      return DecodeVisitorFields(obj, /*with_data=*/true, limits, r);
    case Type::kVisitorLeft:
    case Type::kVisitorActivity:
      return DecodeVisitorFields(obj, /*with_data=*/false, limits, r);
    case Type::kGetDomainStats:
      return GetDomain(obj, limits.max_domain_chars, r.domain_id);
  }
  return Status::Ok();
}

Result<dom::object> ParseObject(dom::parser& parser, std::string_view text, const char* what) {
  dom::element root;
  dom::object obj;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS ||
      root.get_object().get(obj) != simdjson::SUCCESS) {
    return Status(ErrorCode::kBadRequest, fmt::format("{} must be a JSON object.", what));
  }
  return obj;
}

}  // namespace

Status ValidateDomain(std::string_view domain, int max_chars) {
  const bool ok_chars = std::all_of(domain.begin(), domain.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-' || ch == '_' || ch == ':';
  });
  if (domain.empty() || domain.size() > static_cast<size_t>(max_chars) || !ok_chars) {
    return Status(
        ErrorCode::kInvalidDomain,
        fmt::format("domainId must be 1 to {} characters from letters, digits and . - _ :",
                    max_chars));
  }
  return Status::Ok();
}

Result<Seed003Request> DecodeSeed003Frame(std::string_view payload, const Seed003Limits& limits) {
  thread_local dom::parser parser;  // keeps its buffers: no allocation once warm
  auto obj = ParseObject(parser, payload, "A message");
  if (!obj.ok()) return obj.status();
  Seed003Request r;
  if (Status st = GetString(*obj, "type", true, r.type_name); !st.ok()) {
    return Status(ErrorCode::kBadRequest, "A message needs a string \"type\".");
  }
  for (const auto& [name, type] : kTypes) {
    if (name == r.type_name) r.type = type;
  }
  if (Status st = DecodeFields(*obj, limits, r); !st.ok()) return st;
  return r;
}

bool IsSeed003Frame(std::string_view payload) {
  thread_local dom::parser parser;  // keeps its buffers: no allocation once warm
  auto obj = ParseObject(parser, payload, "A message");
  std::string type;
  if (!obj.ok() || !GetString(*obj, "type", true, type).ok()) return false;
  return std::any_of(kTypes.begin(), kTypes.end(), [&](const auto& t) { return t.first == type; });
}

Result<Seed003Request> DecodeVisitorBody(std::string_view body, bool with_data,
                                         const Seed003Limits& limits) {
  thread_local dom::parser parser;  // keeps its buffers: no allocation once warm
  auto obj = ParseObject(parser, body, "The request body");
  if (!obj.ok()) return obj.status();
  Seed003Request r;
  r.type = with_data ? Type::kVisitorJoined : Type::kVisitorLeft;
  if (Status st = DecodeVisitorFields(*obj, with_data, limits, r); !st.ok()) return st;
  return r;
}

}  // namespace parley::api
