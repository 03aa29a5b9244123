#include "ai/ai_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "protocol/json_writer.h"

namespace parley::ai {
namespace {

using simdjson::dom::element;

Status Invalid(std::string message) { return Status(ErrorCode::kInvalidField, std::move(message)); }

// An optional string field: "" when absent or null, an error when another type.
Result<std::string> OptionalString(element obj, const char* key) {
  element v;
  if (obj[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::string();
  std::string_view s;
  if (v.get(s) != simdjson::SUCCESS) {
    return Invalid(fmt::format("Field '{}' must be a string.", key));
  }
  return std::string(s);
}

size_t CountChars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Result<Ask> DecodeAsk(std::string_view body, const AskRules& rules) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(simdjson::padded_string(body)).get(root) != simdjson::SUCCESS ||
      !root.is_object()) {
    return Status(ErrorCode::kBadRequest, "The body must be a JSON object with a 'message'.");
  }
  Ask ask;
  element msg;
  if (root["message"].get(msg) != simdjson::SUCCESS || msg.is_null()) {
    return Invalid("Field 'message' is required.");
  }
  std::string_view text;
  if (msg.get(text) != simdjson::SUCCESS) return Invalid("Field 'message' must be a string.");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status(ErrorCode::kEmptyMessage, "Field 'message' is empty.");
  }
  if (text.size() > static_cast<size_t>(rules.max_prompt_bytes)) {
    return Status(ErrorCode::kMessageTooLarge,
                  fmt::format("Field 'message' is at most {} bytes.", rules.max_prompt_bytes));
  }
  ask.message = std::string(text);
  auto model = OptionalString(root, "model");
  if (!model.ok()) return model.status();
  ask.model = std::move(model.value());
  auto conv = OptionalString(root, "conversationId");
  if (!conv.ok()) return conv.status();
  ask.conversation_id = std::move(conv.value());
  if (CountChars(ask.conversation_id) > static_cast<size_t>(rules.max_conversation_id_chars)) {
    return Invalid(fmt::format("Field 'conversationId' is at most {} characters.",
                               rules.max_conversation_id_chars));
  }
  if (std::any_of(ask.conversation_id.begin(), ask.conversation_id.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return Invalid("Field 'conversationId' must not contain control characters.");
  }
  return ask;
}

Result<std::string> ResolveModel(std::string_view requested, const std::string& default_model,
                                 const std::vector<std::string>& allowed) {
  if (requested.empty() || requested == default_model) return default_model;
  if (std::find(allowed.begin(), allowed.end(), requested) != allowed.end()) {
    return std::string(requested);
  }
  std::string known = default_model;
  for (const auto& m : allowed) {
    if (m != default_model) known += ", " + m;
  }
  return Status(ErrorCode::kUnknownModel,
                fmt::format("Unknown model; this server offers: {}.", known));
}

std::string EncodeAnswer(std::string_view response, std::string_view model,
                         std::string_view conversation_id) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("response").String(response).Key("model").String(model);
  if (!conversation_id.empty()) w.Key("conversationId").String(conversation_id);
  w.EndObject();
  return out;
}

std::string EncodeStreamToken(std::string_view content) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("type")
      .String("token")
      .Key("content")
      .String(content)
      .EndObject();
  return out;
}

std::string EncodeStreamDone(std::string_view response, std::string_view model,
                             std::string_view conversation_id) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("done").Key("response").String(response);
  w.Key("model").String(model);
  if (!conversation_id.empty()) w.Key("conversationId").String(conversation_id);
  w.EndObject();
  return out;
}

std::string EncodeStreamError(std::string_view code, std::string_view message) {
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("type")
      .String("error")
      .Key("error")
      .String(code)
      .Key("message")
      .String(message)
      .EndObject();
  return out;
}

std::string SseFrame(std::string_view data) { return fmt::format("data: {}\n\n", data); }

Result<ProviderUrl> ParseProviderUrl(std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return Status(ErrorCode::kInvalidField, fmt::format("ai.base_url: {}", why));
  };
  ProviderUrl out;
  if (url.starts_with("https://")) {
    out.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return bad("must start with http:// or https://");
  }
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash);
  if (path.find_first_of("?#") != std::string_view::npos) return bad("must not have a query");
  if (authority.find('@') != std::string_view::npos) return bad("must not contain user info");
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed [");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("has junk after ]");
      port = rest.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("has no host");
  if (host.find_first_of(" \t") != std::string_view::npos) return bad("has a space in the host");
  out.host = std::string(host);
  out.port = out.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return bad("has a bad port");
    }
    out.port = static_cast<uint16_t>(value);
  }
  out.host_header = std::string(authority);
  while (path.ends_with('/')) path.remove_suffix(1);
  out.path = std::string(path) + "/chat/completions";
  return out;
}

}  // namespace parley::ai
