// One fuzz iteration over FrameReader, shared by the libFuzzer target
// (tests/fuzz/libfuzzer_main.cc) and the corpus replay test (tests/fuzz/corpus_replay_test.cc), so
// every corpus file runs in every build. Input layout: byte 0 seeds the chunking, byte 1 picks the
// message size limit, the rest is the byte stream a client sends. Feeds the stream whole and in
// pseudo-random chunks and aborts (with a line on stderr) if an invariant breaks: both feedings
// report the same events; delivered text is valid UTF-8 and within the limit; the bytes left
// unconsumed are unmodified and bounded by max_pending_bytes(); every delivered message round-trips
// through EncodeClientFrame. Thread-compatible: no shared state.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_once.h"
#include "protocol/ws/frame.h"
#include "protocol/ws/utf8.h"

// A broken invariant is a bug in the reader: report it and abort so the fuzzer keeps the
// input and the replay test fails.
#define PARLEY_FUZZ_CHECK(cond)                                                     \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

namespace parley::ws {
namespace {

// Records every event as one string and checks what the reader promises about each.
class CheckingSink : public FrameSink {
 public:
  explicit CheckingSink(const ReaderLimits& limits) : limits_(limits) {}

  void OnMessage(Opcode op, std::string_view payload) override {
    PARLEY_FUZZ_CHECK(op == Opcode::kText || op == Opcode::kBinary);
    PARLEY_FUZZ_CHECK(payload.size() <= limits_.max_message_bytes);
    if (op == Opcode::kText) PARLEY_FUZZ_CHECK(IsValidUtf8(payload));
    messages.push_back({op, std::string(payload)});
    Record(op == Opcode::kText ? "text:" : "binary:", payload);
  }
  void OnPing(std::string_view payload) override {
    PARLEY_FUZZ_CHECK(payload.size() <= kMaxControlPayload);
    Record("ping:", payload);
  }
  void OnPong(std::string_view payload) override {
    PARLEY_FUZZ_CHECK(payload.size() <= kMaxControlPayload);
    Record("pong:", payload);
  }
  void OnClose(uint16_t code, std::string_view reason) override {
    PARLEY_FUZZ_CHECK(code == 1005 ? reason.empty() : IsValidCloseCode(code));
    PARLEY_FUZZ_CHECK(IsValidUtf8(reason));
    Record("close:" + std::to_string(code) + ":", reason);
  }
  void OnProtocolError(uint16_t close_code, std::string_view why) override {
    PARLEY_FUZZ_CHECK(close_code == kCloseProtocolError || close_code == kCloseInvalidPayload ||
                      close_code == kCloseTooBig);
    PARLEY_FUZZ_CHECK(!why.empty());
    Record("error:" + std::to_string(close_code) + ":", why);
  }

  struct Message {
    Opcode op;
    std::string payload;
  };
  std::vector<std::string> events;
  std::vector<Message> messages;

 private:
  void Record(std::string kind, std::string_view payload) {
    kind.append(payload);
    events.push_back(std::move(kind));
  }
  ReaderLimits limits_;
};

struct Outcome {
  std::vector<std::string> events;
  std::vector<CheckingSink::Message> messages;
  size_t consumed = 0;
  bool failed = false;
  bool closed = false;
};

// Checks the state a caller relies on after each Consume call.
void CheckAfterConsume(const FrameReader& reader, std::span<const uint8_t> left,
                       std::span<const uint8_t> original, const ReaderLimits& limits) {
  PARLEY_FUZZ_CHECK(reader.buffered_bytes() <= limits.max_message_bytes);
  if (reader.failed() || reader.closed()) {
    PARLEY_FUZZ_CHECK(reader.buffered_bytes() == 0);
    return;
  }
  PARLEY_FUZZ_CHECK(left.size() <= reader.max_pending_bytes());
  PARLEY_FUZZ_CHECK(left.size() == original.size());
  PARLEY_FUZZ_CHECK(left.empty() || std::memcmp(left.data(), original.data(), left.size()) == 0);
}

// Feeds `stream` the way a connection does: append what arrived, consume, keep the rest.
// With `chunked` false the whole stream arrives in one piece.
Outcome Feed(std::span<const uint8_t> stream, const ReaderLimits& limits, uint32_t seed,
             bool chunked) {
  FrameReader reader(limits);
  CheckingSink sink(limits);
  std::vector<uint8_t> pending;
  size_t base = 0;  // stream offset of pending[0]
  size_t fed = 0;
  uint32_t rng = seed * 2654435761u + 1;
  while (fed < stream.size() && !reader.failed() && !reader.closed()) {
    size_t chunk = stream.size() - fed;
    if (chunked) {
      rng ^= rng << 13;
      rng ^= rng >> 17;
      rng ^= rng << 5;
      // Mostly tiny chunks (split headers, split code points), sometimes larger ones.
      const size_t cap = (rng & 0x100) ? 300 : 7;
      chunk = std::min(chunk, 1 + static_cast<size_t>((rng >> 9) % cap));
    }
    pending.insert(pending.end(), stream.begin() + fed, stream.begin() + fed + chunk);
    fed += chunk;
    const size_t n = reader.Consume(pending, sink);
    PARLEY_FUZZ_CHECK(n <= pending.size());
    pending.erase(pending.begin(), pending.begin() + n);
    base += n;
    CheckAfterConsume(reader, pending, stream.subspan(base, fed - base), limits);
  }
  if (reader.failed() || reader.closed()) {
    const size_t events = sink.events.size();
    PARLEY_FUZZ_CHECK(reader.Consume(pending, sink) == 0);
    PARLEY_FUZZ_CHECK(sink.events.size() == events);
  }
  return {std::move(sink.events), std::move(sink.messages), base, reader.failed(), reader.closed()};
}

// A delivered message, sent back whole and in two fragments, comes out unchanged.
void CheckRoundTrip(const CheckingSink::Message& m, const ReaderLimits& limits, uint32_t key) {
  std::string wire = EncodeClientFrame(m.op, m.payload, key);
  const size_t half = m.payload.size() / 2;
  wire += EncodeClientFrame(m.op, std::string_view(m.payload).substr(0, half), ~key, false);
  wire += EncodeClientFrame(Opcode::kContinuation, std::string_view(m.payload).substr(half),
                            key ^ 0x5A5A5A5Au, true);
  std::vector<uint8_t> bytes(wire.begin(), wire.end());
  FrameReader reader(limits);
  CheckingSink sink(limits);
  PARLEY_FUZZ_CHECK(reader.Consume(bytes, sink) == bytes.size());
  PARLEY_FUZZ_CHECK(sink.messages.size() == 2);
  for (const auto& got : sink.messages) {
    PARLEY_FUZZ_CHECK(got.op == m.op && got.payload == m.payload);
  }
}

void FuzzFrameReaderOnce(const uint8_t* data, size_t size) {
  if (size < 2) return;
  ReaderLimits limits;
  // Small limits make the 1009 paths reachable with small inputs.
  if (!(data[1] & 0x80)) limits.max_message_bytes = data[1] * 4u;
  const std::span<const uint8_t> stream(data + 2, size - 2);

  const Outcome whole = Feed(stream, limits, data[0], false);
  const Outcome split = Feed(stream, limits, data[0], true);
  PARLEY_FUZZ_CHECK(whole.events == split.events);
  PARLEY_FUZZ_CHECK(whole.consumed == split.consumed);
  PARLEY_FUZZ_CHECK(whole.failed == split.failed && whole.closed == split.closed);

  for (size_t i = 0; i < whole.messages.size() && i < 4; ++i) {
    CheckRoundTrip(whole.messages[i], limits, 0x9E3779B9u * (data[0] + i + 1));
  }
}

}  // namespace
}  // namespace parley::ws

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::ws::FuzzFrameReaderOnce(data, size);
}
