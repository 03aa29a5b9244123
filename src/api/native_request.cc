#include "api/native_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <utility>

#include "api/request_fields.h"
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
      MessageContent content;
      Status s = ReadMessageContent(f, limits, "text", content);
      r.text = std::move(content.text);
      r.image_url = std::move(content.image_url);
      r.reply_to = std::move(content.reply_to);
      return s;
    }
    case Type::kTyping:
      return f.Bool("active", r.active);
    case Type::kReact:
      if (Status s = f.String("messageId", kMaxIdBytes, true, r.message_id); !s.ok()) return s;
      return ReadEmoji(f, limits, r.emoji);
    case Type::kEdit:
      if (Status s = f.String("messageId", kMaxIdBytes, true, r.message_id); !s.ok()) return s;
      return ReadChatText(f, limits, "text", r.text);
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
