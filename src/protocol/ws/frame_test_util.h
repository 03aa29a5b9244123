// Test support for the frame tests: a sink that records events as strings, and feeding
// helpers that act like a connection (append what arrived, consume, keep the rest).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/ws/frame.h"

namespace parley::ws::testing {

class RecordingSink : public FrameSink {
 public:
  void OnMessage(Opcode op, std::string_view payload) override {
    events.push_back((op == Opcode::kText ? "text:" : "binary:") + std::string(payload));
  }
  void OnPing(std::string_view payload) override {
    events.push_back("ping:" + std::string(payload));
  }
  void OnPong(std::string_view payload) override {
    events.push_back("pong:" + std::string(payload));
  }
  void OnClose(uint16_t code, std::string_view reason) override {
    events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
  void OnProtocolError(uint16_t close_code, std::string_view why) override {
    events.push_back("error:" + std::to_string(close_code));
  }
  std::vector<std::string> events;
};

inline std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

// Feeds `wire` `step` bytes at a time (0: all at once) to a fresh reader.
inline std::vector<std::string> FeedInSteps(std::string_view wire, size_t step,
                                            ReaderLimits limits = {}) {
  FrameReader reader(limits);
  RecordingSink sink;
  std::vector<uint8_t> pending;
  size_t fed = 0;
  while (fed < wire.size()) {
    const size_t n = step == 0 ? wire.size() : std::min(step, wire.size() - fed);
    pending.insert(pending.end(), wire.begin() + fed, wire.begin() + fed + n);
    fed += n;
    const size_t used = reader.Consume(pending, sink);
    pending.erase(pending.begin(), pending.begin() + used);
  }
  return sink.events;
}

}  // namespace parley::ws::testing
