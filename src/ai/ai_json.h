// The client side of seed 003's AI endpoints: the request body of POST /ai/chat and
// POST /ai/stream, the JSON answer, the events of the streamed answer, the model rules and
// the provider's base URL. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace parley::ai {

struct AskRules {
  int max_prompt_bytes = 8192;
  int max_conversation_id_chars = 128;
};

// {"message": "...", "model"?: "...", "conversationId"?: "..."}. Other fields (seed 003's
// domainId, userId) are accepted and ignored.
struct Ask {
  std::string message{};
  std::string model{};            // "" = the default model
  std::string conversation_id{};  // "" = no memory: the answer sees this message alone
};

// kBadRequest (not a JSON object), kInvalidField (a field of the wrong type, a bad
// conversationId), kEmptyMessage, kMessageTooLarge.
Result<Ask> DecodeAsk(std::string_view body, const AskRules& rules);

// The model to use for `requested`: `default_model` when empty; otherwise it must be in
// `allowed` (or be `default_model` when `allowed` is empty), else kUnknownModel.
Result<std::string> ResolveModel(std::string_view requested, const std::string& default_model,
                                 const std::vector<std::string>& allowed);

// POST /ai/chat's answer: {"response":"...","model":"...","conversationId":"..."}
// (conversationId only when the request had one).
std::string EncodeAnswer(std::string_view response, std::string_view model,
                         std::string_view conversation_id);

// POST /ai/stream's events, each the data of one SSE event:
//   {"type":"token","content":"..."}                                  one per provider chunk
//   {"type":"done","response":"...","model":"...","conversationId":"..."}  the whole answer
//   {"type":"error","error":"ai_timeout","message":"..."}                 the stream failed
std::string EncodeStreamToken(std::string_view content);
std::string EncodeStreamDone(std::string_view response, std::string_view model,
                             std::string_view conversation_id);
std::string EncodeStreamError(std::string_view code, std::string_view message);
// One server-sent event carrying `data` (which holds no newline: compact JSON).
std::string SseFrame(std::string_view data);

// Where the provider lives, from ai.base_url.
struct ProviderUrl {
  bool tls = false;
  std::string host{};  // name or address, without brackets
  uint16_t port = 0;
  std::string path{};         // the chat-completions path: base path + "/chat/completions"
  std::string host_header{};  // "host" or "host:port" as the Host header wants it
};

// Parses "http(s)://host[:port][/base]". kInvalidField for anything else (another scheme,
// user info, a query, a bad port).
Result<ProviderUrl> ParseProviderUrl(std::string_view base_url);

}  // namespace parley::ai
