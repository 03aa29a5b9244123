// The OpenAI chat-completions wire format, as parley speaks it to a provider: the request
// body, the JSON answer, the streamed chunks (`data: {...}` events whose
// choices[0].delta.content carry the text, ended by `data: [DONE]`) and error bodies.
// Pure functions, no I/O; fuzzed through sse_fuzz_driver.cc. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace parley::ai {

struct ChatMessage {
  std::string role{};  // "system", "user" or "assistant"
  std::string content{};

  bool operator==(const ChatMessage&) const = default;
};

struct ChatRequest {
  std::string model{};
  std::vector<ChatMessage> messages{};
  int max_tokens = 0;  // 0 = not sent
  bool stream = false;
};

// The POST /chat/completions body. REQUIRES: every string is valid UTF-8.
std::string EncodeChatRequest(const ChatRequest& r);

// choices[0].message.content of a non-streamed answer. kAiProviderError when the body is
// not that shape, or is an {"error": ...} object (its message quoted, `api_key` redacted as
// in DescribeProviderError).
Result<std::string> DecodeChatAnswer(std::string_view body, std::string_view api_key);

// True for the stream's final `data: [DONE]`.
inline bool IsStreamDone(std::string_view data) { return data == "[DONE]"; }

// The text choices[0].delta.content adds ("" for a chunk without text: the first chunk's
// role, a finish_reason). kAiProviderError for data that is not such a chunk, or an
// {"error": ...} object sent mid-stream (`api_key` redacted from its message).
Result<std::string> DecodeStreamChunk(std::string_view data, std::string_view api_key);

// A sentence for a client about a provider's non-2xx answer: its status and, when the
// body is an OpenAI error object, its message. At most 200 bytes of the provider's text,
// control characters dropped, and every occurrence of `api_key` (when not empty) replaced
// by "[redacted]": providers quote the key they refused.
std::string DescribeProviderError(int http_status, std::string_view body, std::string_view api_key);

// Replaces every occurrence of `secret` in `text` by "[redacted]" (nothing when empty).
std::string Redact(std::string text, std::string_view secret);

}  // namespace parley::ai
