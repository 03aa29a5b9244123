#include "ai/openai_wire.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "protocol/json_writer.h"

namespace parley::ai {
namespace {

using simdjson::dom::element;

Status Malformed(std::string_view what) {
  return Status(ErrorCode::kAiProviderError,
                fmt::format("The AI provider sent {} parley cannot read.", what));
}

// The provider's {"error": {"message": ...}} (or {"error": "..."}) text, if any.
std::optional<std::string> ErrorMessage(element root) {
  element err;
  if (root["error"].get(err) != simdjson::SUCCESS || err.is_null()) return std::nullopt;
  std::string_view msg;
  if (err.get(msg) == simdjson::SUCCESS) return std::string(msg);
  if (err["message"].get(msg) == simdjson::SUCCESS) return std::string(msg);
  return std::string("unknown error");
}

// Keeps printable text only, at most `max` bytes, cut on a UTF-8 boundary.
std::string Clean(std::string_view s, size_t max) {
  std::string out;
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

}  // namespace

std::string EncodeChatRequest(const ChatRequest& r) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("model").String(r.model).Key("messages").BeginArray();
  for (const ChatMessage& m : r.messages) {
    w.BeginObject().Key("role").String(m.role).Key("content").String(m.content).EndObject();
  }
  w.EndArray();
  if (r.max_tokens > 0) w.Key("max_tokens").Int(r.max_tokens);
  w.Key("stream").Bool(r.stream).EndObject();
  return out;
}

Result<std::string> DecodeChatAnswer(std::string_view body, std::string_view api_key) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(simdjson::padded_string(body)).get(root) != simdjson::SUCCESS) {
    return Malformed("an answer that is not JSON");
  }
  if (auto err = ErrorMessage(root)) {
    return Status(ErrorCode::kAiProviderError,
                  "The AI provider answered an error: " + Clean(Redact(*err, api_key), 200));
  }
  std::string_view content;
  if (root["choices"].at(0)["message"]["content"].get(content) != simdjson::SUCCESS) {
    return Malformed("an answer without choices[0].message.content");
  }
  return std::string(content);
}

Result<std::string> DecodeStreamChunk(std::string_view data, std::string_view api_key) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(simdjson::padded_string(data)).get(root) != simdjson::SUCCESS) {
    return Malformed("a stream event that is not JSON");
  }
  if (auto err = ErrorMessage(root)) {
    return Status(ErrorCode::kAiProviderError, "The AI provider reported an error mid-stream: " +
                                                   Clean(Redact(*err, api_key), 200));
  }
  simdjson::dom::array choices;
  if (root["choices"].get(choices) != simdjson::SUCCESS) {
    return Malformed("a stream event without choices");
  }
  if (choices.size() == 0) return std::string();  // e.g. a usage-only chunk
  element delta;
  if (choices.at(0)["delta"].get(delta) != simdjson::SUCCESS) return std::string();
  element content;
  if (delta["content"].get(content) != simdjson::SUCCESS || content.is_null()) {
    return std::string();
  }
  std::string_view text;
  if (content.get(text) != simdjson::SUCCESS) {
    return Malformed("a stream event whose delta.content is not text");
  }
  return std::string(text);
}

std::string Redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  static constexpr std::string_view kMark = "[redacted]";
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kMark.size())) {
    text.replace(at, secret.size(), kMark);
  }
  return text;
}

std::string DescribeProviderError(int http_status, std::string_view body,
                                  std::string_view api_key) {
  std::string detail;
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(simdjson::padded_string(body)).get(root) == simdjson::SUCCESS) {
    if (auto err = ErrorMessage(root)) detail = *err;
  }
  // Redact before cutting, so a key cut in half cannot slip through.
  detail = Clean(Redact(std::move(detail), api_key), 200);
  if (detail.empty()) return fmt::format("The AI provider answered HTTP {}.", http_status);
  return fmt::format("The AI provider answered HTTP {}: {}", http_status, detail);
}

}  // namespace parley::ai
