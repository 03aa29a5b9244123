#include "match/match_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "protocol/json_writer.h"

namespace parley::match {
namespace {

using simdjson::dom::element;

Status Invalid(std::string message) { return Status(ErrorCode::kInvalidField, std::move(message)); }

size_t CountChars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Reads an optional string field. nullopt when absent or null; an error when another type.
Result<std::optional<std::string>> OptionalString(element obj, const char* key) {
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::optional<std::string>();
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) {
    return Invalid(fmt::format("Field '{}' must be a string.", key));
  }
  return std::optional<std::string>(std::string(s));
}

Status CheckFilter(const std::optional<std::string>& v, const char* what,
                   const std::vector<std::string>& allowed, int max_chars) {
  if (!v || v->empty()) return Status::Ok();
  if (Status st = CheckField(*v, what, max_chars); !st.ok()) return st;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
    return Status(ErrorCode::kUnknownFilter,
                  fmt::format("Unknown {} filter; leave it out to match any {}.", what, what));
  }
  return Status::Ok();
}

// Reads emotion/language/mode into `out`, checking each against its list.
Status ReadFilters(element obj, const FieldRules& rules, Filters& out) {
  struct Row {
    const char* key;
    const std::vector<std::string>* allowed;
    std::string* dest;
  };
  const Row rows[] = {{"emotion", &rules.emotions, &out.emotion},
                      {"language", &rules.languages, &out.language},
                      {"mode", &rules.modes, &out.mode}};
  for (const Row& r : rows) {
    auto v = OptionalString(obj, r.key);
    if (!v.ok()) return v.status();
    if (Status st = CheckFilter(*v, r.key, *r.allowed, rules.max_field_chars); !st.ok()) return st;
    *r.dest = v->value_or("");
  }
  return Status::Ok();
}

Result<element> ParseObject(simdjson::dom::parser& parser, std::string_view text) {
  element root;
  // An empty view may have a null data(), which simdjson must not be given.
  if (text.empty() || parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS ||
      !root.is_object()) {
    return Status(ErrorCode::kBadRequest, "The body must be one JSON object.");
  }
  return root;
}

void MessageFields(JsonWriter& w, const PairMessage& m) {
  if (m.text) w.Key("text").String(*m.text);
  if (m.image_url) w.Key("imageUrl").String(*m.image_url);
  w.Key("from").String(m.from).Key("timestamp").Int(m.timestamp_ms);
}

}  // namespace

std::vector<std::string> SplitList(std::string_view csv) {
  std::vector<std::string> out;
  while (!csv.empty()) {
    size_t comma = csv.find(',');
    std::string_view item = csv.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    csv.remove_prefix(comma + 1);
  }
  return out;
}

Status CheckField(std::string_view value, std::string_view what, int max_chars) {
  if (value.empty()) return Invalid(fmt::format("Field '{}' must not be empty.", what));
  if (CountChars(value) > static_cast<size_t>(max_chars)) {
    return Invalid(fmt::format("Field '{}' is longer than {} characters.", what, max_chars));
  }
  if (std::any_of(value.begin(), value.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return Invalid(fmt::format("Field '{}' must not contain control characters.", what));
  }
  return Status::Ok();
}

Result<Seeker> DecodeMatchRequest(std::string_view body, const FieldRules& rules) {
  thread_local simdjson::dom::parser parser;  // keeps its buffers: no allocation once warm
  auto root = ParseObject(parser, body);
  if (!root.ok()) return root.status();
  Seeker s;
  struct Row {
    const char* key;
    std::string* dest;
    bool required;
  };
  const Row rows[] = {{"userId", &s.user_id, true},
                      {"userName", &s.user_name, true},
                      {"deviceId", &s.device_id, false}};
  for (const Row& r : rows) {
    auto v = OptionalString(*root, r.key);
    if (!v.ok()) return v.status();
    if (!v->has_value()) {
      if (r.required) return Invalid(fmt::format("Field '{}' is required.", r.key));
      continue;
    }
    if (Status st = CheckField(**v, r.key, rules.max_field_chars); !st.ok()) return st;
    *r.dest = std::move(**v);
  }
  // The session id is "chat:<user1>:<user2>"; a ':' in an id would make it ambiguous.
  if (s.user_id.find(':') != std::string::npos) {
    return Invalid("Field 'userId' must not contain ':'.");
  }
  if (Status st = ReadFilters(*root, rules, s.filters); !st.ok()) return st;
  return s;
}

Result<ClientFrame> DecodeClientFrame(std::string_view payload, const FieldRules& rules) {
  thread_local simdjson::dom::parser parser;  // keeps its buffers: no allocation once warm
  auto root = ParseObject(parser, payload);
  if (!root.ok()) return root.status();
  std::string_view type;
  if ((*root)["type"].get(type) != simdjson::SUCCESS) {
    return Status(ErrorCode::kBadRequest, "Every frame needs a string field 'type'.");
  }
  ClientFrame f;
  if (type == "auth") {
    f.type = ClientFrame::Type::kAuth;
    auto key = OptionalString(*root, "apiKey");
    if (!key.ok()) return key.status();
    f.api_key = key->value_or("");
  } else if (type == "search") {
    f.type = ClientFrame::Type::kSearch;
    if (Status st = ReadFilters(*root, rules, f.filters); !st.ok()) return st;
  } else if (type == "message") {
    f.type = ClientFrame::Type::kMessage;
    auto text = OptionalString(*root, "text");
    if (!text.ok()) return text.status();
    auto image = OptionalString(*root, "imageUrl");
    if (!image.ok()) return image.status();
    f.text = std::move(*text);
    f.image_url = std::move(*image);
    if (f.text && f.text->empty()) f.text.reset();
    if (f.image_url && f.image_url->empty()) f.image_url.reset();
    if (!f.text && !f.image_url) return Invalid("A message needs a 'text' or an 'imageUrl'.");
    if (f.text && f.text->size() > static_cast<size_t>(rules.max_text_bytes)) {
      return Status(ErrorCode::kMessageTooLarge,
                    fmt::format("Messages are limited to {} bytes.", rules.max_text_bytes));
    }
    if (f.image_url && f.image_url->size() > static_cast<size_t>(rules.max_image_url_bytes)) {
      return Invalid(fmt::format("'imageUrl' is limited to {} bytes.", rules.max_image_url_bytes));
    }
  } else if (type == "end_chat") {
    f.type = ClientFrame::Type::kEndChat;
  } else if (type == "ping") {
    f.type = ClientFrame::Type::kPing;
  } else if (type == "cancel") {
    f.type = ClientFrame::Type::kCancel;
  } else {
    return Status(ErrorCode::kUnknownType,
                  "Unknown type; use auth, search, cancel, message, end_chat or ping.");
  }
  return f;
}

std::string EncodeMatchWaiting(std::string_view queue_key) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("success")
      .Bool(true)
      .Key("matched")
      .Bool(false)
      .Key("message")
      .String("Waiting for partner...")
      .Key("queueKey")
      .String(queue_key)
      .EndObject();
  return out;
}

std::string EncodeMatchFound(const Pairing& p, std::string_view ws_url) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("success")
      .Bool(true)
      .Key("matched")
      .Bool(true)
      .Key("sessionId")
      .String(p.session_id)
      .Key("partnerId")
      .String(p.partner_id)
      .Key("partnerName")
      .String(p.partner_name)
      .Key("wsUrl")
      .String(ws_url)
      .EndObject();
  return out;
}

std::string EncodeMatchError(std::string_view code, std::string_view message) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("success")
      .Bool(false)
      .Key("error")
      .String(code)
      .Key("message")
      .String(message)
      .EndObject();
  return out;
}

std::string EncodeTyped(std::string_view type) {
  std::string out;
  JsonWriter(out).BeginObject().Key("type").String(type).EndObject();
  return out;
}

std::string EncodeAuthError(std::string_view error) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("type")
      .String("auth_error")
      .Key("error")
      .String(error)
      .EndObject();
  return out;
}

std::string EncodeMatched(std::string_view partner_id) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("type")
      .String("matched")
      .Key("partnerId")
      .String(partner_id)
      .EndObject();
  return out;
}

std::string EncodePairMessage(const PairMessage& m) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("message");
  MessageFields(w, m);
  w.EndObject();
  return out;
}

std::string EncodePairHistory(std::string_view session_id, std::span<const PairMessage> messages) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("history").Key("sessionId").String(session_id);
  w.Key("messages").BeginArray();
  for (const PairMessage& m : messages) {
    w.BeginObject();
    MessageFields(w, m);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

namespace {

std::string EncodeUserEvent(std::string_view type, std::string_view user_id) {
  std::string out;
  JsonWriter(out).BeginObject().Key("type").String(type).Key("userId").String(user_id).EndObject();
  return out;
}

}  // namespace

std::string EncodePartnerJoined(std::string_view user_id) {
  return EncodeUserEvent("partner_joined", user_id);
}

std::string EncodePartnerLeft(std::string_view user_id) {
  return EncodeUserEvent("partner_left", user_id);
}

}  // namespace parley::match
