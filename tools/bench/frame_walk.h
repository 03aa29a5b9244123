// Walks WebSocket frame headers in a receive buffer without copying payloads: what a
// receiver needs to count deliveries cheaply. Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace parley::bench {

// The kind of a server text frame, judged from its first bytes.
enum class FrameKind : uint8_t { kOther, kChat, kPing };

struct FrameHead {
  uint8_t opcode = 0;
  bool fin = true;
  bool masked = false;      // servers never mask; a masked frame is a protocol error
  size_t header_bytes = 0;  // 2..14
  uint64_t payload_bytes = 0;
};

// Parses the header at the front of `data`. Returns false when `data` does not hold the
// whole header yet.
bool ParseFrameHead(std::string_view data, FrameHead* head);

// Classifies a seed 004 text payload (or its first bytes): a chat frame has `"type":"chat"`.
// Checks the usual first field first, and looks further only when the frame does not begin
// with a type field.
FrameKind ClassifySeed004(std::string_view payload);

// Classifies a Socket.IO text payload: `42["chat"` is a chat event, `2` an Engine.IO ping.
FrameKind ClassifySocketIo(std::string_view payload);

// How many leading payload bytes the classifiers need to decide (a frame shorter than
// this is classified when complete).
inline constexpr size_t kClassifyBytes = 24;

}  // namespace parley::bench
