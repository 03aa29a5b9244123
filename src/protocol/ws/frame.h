// RFC 6455 framing for parley's own WebSocket layer: pure functions and a per-connection
// reader state machine. No I/O, no allocation on the common path, fuzzed directly.
//
// Server side: client frames must be masked; server frames are sent unmasked, so one
// encoded frame can be shared by every recipient of a broadcast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "protocol/ws/utf8.h"

namespace parley::ws {

enum class Opcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close codes parley sends (RFC 6455 section 7.4.1).
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseInvalidPayload = 1007;  // bad UTF-8 in a text message
inline constexpr uint16_t kClosePolicy = 1008;
inline constexpr uint16_t kCloseTooBig = 1009;
inline constexpr uint16_t kCloseInternal = 1011;

// True for a code a peer may put in a close frame (1000-1003, 1007-1011, 3000-4999).
bool IsValidCloseCode(uint16_t code);

// Encodes one unmasked, final server frame (header + payload) into a new string.
std::string EncodeFrame(Opcode op, std::string_view payload);
// Appends the frame header for an unmasked, final frame of `payload_len` bytes to `out`.
void AppendFrameHeader(std::string& out, Opcode op, uint64_t payload_len);
// A close frame with `code` and `reason` (reason truncated to fit 125 bytes).
std::string EncodeClose(uint16_t code, std::string_view reason);
// A masked client frame (for tests and the load generator). `fin` false starts/continues a
// fragmented message.
std::string EncodeClientFrame(Opcode op, std::string_view payload, uint32_t mask_key,
                              bool fin = true);

struct ReaderLimits {
  // Whole message, all fragments; over -> close 1009. REQUIRES: fits in memory (size_t).
  uint64_t max_message_bytes = 65536;
};

// Largest frame header: 2 bytes + 8-byte extended length + 4-byte mask key.
inline constexpr size_t kMaxFrameHeaderBytes = 14;
// Largest control frame payload (RFC 6455 5.5).
inline constexpr size_t kMaxControlPayload = 125;

// What the reader reports. Payload views point into the caller's buffer (unmasked in
// place) or into the reader's fragment buffer; they are valid only during the call.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // A complete text (validated UTF-8) or binary message.
  virtual void OnMessage(Opcode op, std::string_view payload) = 0;
  virtual void OnPing(std::string_view payload) = 0;
  virtual void OnPong(std::string_view payload) = 0;
  // The peer's close frame: code 1005 when the frame had no body. The reader has already
  // validated the code and the reason's UTF-8 (otherwise OnProtocolError was called).
  virtual void OnClose(uint16_t code, std::string_view reason) = 0;
  // The peer broke the protocol; the caller sends a close with `close_code` and stops.
  virtual void OnProtocolError(uint16_t close_code, std::string_view why) = 0;
};

// Per-connection reader state: holds only the fragment-assembly state of an unfinished
// message (empty while idle). Not thread-safe; used by the connection's own thread.
class FrameReader {
 public:
  explicit FrameReader(ReaderLimits limits) : limits_(limits) {}

  // Parses as many complete frames from `data` as there are, unmasking them in place,
  // and reports each to `sink`. Returns the number of bytes consumed; the caller keeps
  // the rest (an incomplete frame) and calls again with it plus more bytes. After
  // OnProtocolError or OnClose it consumes nothing further and failed()/closed() is true.
  // Bytes left unconsumed are never modified. Header checks fail as soon as the header
  // bytes are present, without waiting for the payload: a frame announcing more than the
  // limit is rejected at once (1009), so the caller never keeps more than
  // max_pending_bytes().
  // REQUIRES: `sink` neither destroys this reader nor changes `data` during a callback.
  size_t Consume(std::span<uint8_t> data, FrameSink& sink);

  // Upper bound on what Consume leaves unconsumed while neither failed() nor closed():
  // one frame of the largest allowed size, header included.
  size_t max_pending_bytes() const {
    const uint64_t payload = limits_.max_message_bytes > kMaxControlPayload
                                 ? limits_.max_message_bytes
                                 : kMaxControlPayload;
    return static_cast<size_t>(payload) + kMaxFrameHeaderBytes;
  }

  bool failed() const { return failed_; }
  bool closed() const { return closed_; }
  // Bytes held for an unfinished fragmented message (for memory accounting).
  size_t buffered_bytes() const { return fragments_.size(); }

 private:
  ReaderLimits limits_;
  std::string fragments_;                       // payload of an unfinished fragmented message
  Opcode fragment_op_ = Opcode::kContinuation;  // kText/kBinary while fragmenting
  Utf8Validator utf8_;                          // incremental check of a fragmented text message
  bool failed_ = false;
  bool closed_ = false;

  // Reports the error, marks the reader failed and returns 0 (bytes consumed from the
  // offending frame).
  size_t Fail(FrameSink& sink, uint16_t close_code, std::string_view why);
  // Parses one frame at the front of `data`. Returns its size when it was complete and
  // delivered, 0 when more bytes are needed or the reader failed/closed.
  size_t ConsumeOne(std::span<uint8_t> data, FrameSink& sink);
  // Delivers a complete, unmasked frame.
  void Deliver(Opcode op, bool fin, std::string_view payload, FrameSink& sink);
  void DeliverClose(std::string_view body, FrameSink& sink);
};

}  // namespace parley::ws
