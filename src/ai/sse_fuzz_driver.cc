// One fuzz iteration over the provider-facing parsers, shared by the libFuzzer target
// (tests/fuzz/libfuzzer_main.cc) and the corpus replay test (tests/fuzz/corpus_replay_test.cc), so
// every corpus file runs in every build. Input layout: byte 0 seeds the chunking, the rest is a
// provider's response body. Feeds it to an SseParser whole and in pseudo-random chunks and aborts
// (with a line on stderr) if an invariant breaks: both feedings report the same events; buffered
// bytes stay within the limit; every event's data goes through DecodeStreamChunk, and any text it
// yields encodes to valid UTF-8 JSON. The whole body also goes through DecodeChatAnswer,
// DescribeProviderError (which must never echo the key) and DecodeAsk.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ai/ai_json.h"
#include "ai/openai_wire.h"
#include "ai/sse_parser.h"
#include "fuzz_once.h"
#include "protocol/ws/utf8.h"

namespace parley::ai {
namespace {

using ws::IsValidUtf8;

constexpr size_t kMaxEvent = 512;
constexpr std::string_view kKey = "sk-fuzz-secret";

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "sse fuzz invariant broken: %s\n", what);
  std::abort();
}

struct Seen {
  std::vector<std::string> events;
  bool ok = true;
};

Seen Run(std::string_view body, uint8_t seed) {
  SseParser parser(kMaxEvent);
  Seen seen;
  auto on_event = [&](const SseEvent& e) {
    seen.events.push_back(std::string(e.event) + '\0' + std::string(e.data));
    if (IsStreamDone(e.data)) return true;
    auto chunk = DecodeStreamChunk(e.data, kKey);
    if (chunk.ok()) {
      if (!IsValidUtf8(EncodeStreamToken(*chunk))) Fail("token JSON is not UTF-8");
    } else if (!IsValidUtf8(
                   EncodeStreamError(chunk.status().wire_name(), chunk.status().message()))) {
      Fail("error JSON is not UTF-8");
    }
    return true;
  };
  uint32_t state = seed * 2654435761u + 1;
  while (!body.empty()) {
    size_t n = body.size();
    if (seed != 0) {
      state = state * 1103515245u + 12345u;
      n = std::min<size_t>(body.size(), 1 + (state >> 16) % 17);
    }
    seen.ok = parser.Feed(body.substr(0, n), on_event);
    if (parser.buffered_bytes() > kMaxEvent + 1) Fail("buffered past the limit");
    if (!seen.ok) break;
    body.remove_prefix(n);
  }
  return seen;
}

void FuzzSseOnce(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Seen whole = Run(body, 0);
  const Seen chunked = Run(body, data[0] == 0 ? 1 : data[0]);
  if (whole.ok && chunked.ok && whole.events != chunked.events) {
    Fail("chunking changed the events");
  }
  if (whole.ok != chunked.ok) Fail("chunking changed the outcome");
  auto answer = DecodeChatAnswer(body, kKey);
  if (answer.ok() && !IsValidUtf8(EncodeAnswer(*answer, "m", "c"))) Fail("answer not UTF-8");
  if (!answer.ok() && answer.status().message().find(kKey) != std::string::npos) {
    Fail("answer error quotes the key");
  }
  const std::string described = DescribeProviderError(500, body, kKey);
  if (described.find(kKey) != std::string::npos) Fail("provider error quotes the key");
  if (!IsValidUtf8(described)) Fail("provider error is not UTF-8");
  auto ask = DecodeAsk(body, AskRules{.max_prompt_bytes = 64, .max_conversation_id_chars = 16});
  if (ask.ok() && (ask->message.size() > 64 || !IsValidUtf8(ask->message))) Fail("bad ask");
}

}  // namespace
}  // namespace parley::ai

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::ai::FuzzSseOnce(data, size);
}
