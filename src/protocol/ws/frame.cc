#include "protocol/ws/frame.h"

#include <cstring>

namespace parley::ws {
namespace {

constexpr uint8_t kFinBit = 0x80;
constexpr uint8_t kRsvBits = 0x70;
constexpr uint8_t kOpcodeBits = 0x0F;
constexpr uint8_t kMaskBit = 0x80;
constexpr uint8_t kLen16 = 126;
constexpr uint8_t kLen64 = 127;

bool IsControl(uint8_t op) { return (op & 0x8) != 0; }

bool IsKnownOpcode(uint8_t op) {
  switch (static_cast<Opcode>(op)) {
    case Opcode::kContinuation:
    case Opcode::kText:
    case Opcode::kBinary:
    case Opcode::kClose:
    case Opcode::kPing:
    case Opcode::kPong:
      return true;
  }
  return false;
}

// Appends the second header byte and the extended length, network byte order.
void AppendLength(std::string& out, uint8_t mask_bit, uint64_t len) {
  if (len < kLen16) {
    out.push_back(static_cast<char>(mask_bit | len));
  } else if (len <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | kLen16));
    out.push_back(static_cast<char>(len >> 8));
    out.push_back(static_cast<char>(len));
  } else {
    out.push_back(static_cast<char>(mask_bit | kLen64));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(len >> shift));
  }
}

uint64_t ReadBigEndian(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// XORs `n` bytes at `p` with the 4-byte key, starting at key offset 0. Eight bytes per step:
// the key repeated twice in memory order is the same mask whatever the host byte order.
void ApplyMask(uint8_t* p, size_t n, const uint8_t key[4]) {
  uint64_t mask8;
  std::memcpy(&mask8, key, 4);
  std::memcpy(reinterpret_cast<uint8_t*>(&mask8) + 4, key, 4);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    word ^= mask8;
    std::memcpy(p + i, &word, 8);
  }
  for (; i < n; ++i) p[i] ^= key[i & 3];
}

std::string_view AsChars(const uint8_t* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

// The longest prefix of `s` of at most `max` bytes that does not split a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<uint8_t>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

bool IsValidCloseCode(uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
         (code >= 3000 && code <= 4999);
}

void AppendFrameHeader(std::string& out, Opcode op, uint64_t payload_len) {
  out.push_back(static_cast<char>(kFinBit | static_cast<uint8_t>(op)));
  AppendLength(out, 0, payload_len);
}

std::string EncodeFrame(Opcode op, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 10);
  AppendFrameHeader(out, op, payload.size());
  out.append(payload);
  return out;
}

std::string EncodeClose(uint16_t code, std::string_view reason) {
  reason = TruncateUtf8(reason, kMaxControlPayload - 2);
  std::string out;
  out.reserve(4 + reason.size());
  AppendFrameHeader(out, Opcode::kClose, 2 + reason.size());
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code));
  out.append(reason);
  return out;
}

std::string EncodeClientFrame(Opcode op, std::string_view payload, uint32_t mask_key, bool fin) {
  std::string out;
  out.reserve(payload.size() + kMaxFrameHeaderBytes);
  out.push_back(static_cast<char>((fin ? kFinBit : 0) | static_cast<uint8_t>(op)));
  AppendLength(out, kMaskBit, payload.size());
  const uint8_t key[4] = {static_cast<uint8_t>(mask_key >> 24),
                          static_cast<uint8_t>(mask_key >> 16), static_cast<uint8_t>(mask_key >> 8),
                          static_cast<uint8_t>(mask_key)};
  out.append(reinterpret_cast<const char*>(key), 4);
  const size_t start = out.size();
  out.append(payload);
  ApplyMask(reinterpret_cast<uint8_t*>(out.data() + start), payload.size(), key);
  return out;
}

size_t FrameReader::Consume(std::span<uint8_t> data, FrameSink& sink) {
  size_t consumed = 0;
  while (!failed_ && !closed_) {
    const size_t n = ConsumeOne(data.subspan(consumed), sink);
    if (n == 0) break;
    consumed += n;
  }
  return consumed;
}

size_t FrameReader::Fail(FrameSink& sink, uint16_t close_code, std::string_view why) {
  failed_ = true;
  std::string().swap(fragments_);
  sink.OnProtocolError(close_code, why);
  return 0;
}

// Checks run in the order their bytes arrive, and each depends only on bytes already
// present, so a stream yields the same events however it is split across calls.
size_t FrameReader::ConsumeOne(std::span<uint8_t> data, FrameSink& sink) {
  if (data.size() < 2) return 0;
  const uint8_t b0 = data[0];
  const uint8_t b1 = data[1];
  const bool fin = (b0 & kFinBit) != 0;
  const uint8_t op = b0 & kOpcodeBits;
  const uint8_t len7 = b1 & 0x7F;

  if (b0 & kRsvBits) {
    return Fail(sink, kCloseProtocolError, "reserved bits set without a negotiated extension");
  }
  if (!IsKnownOpcode(op)) return Fail(sink, kCloseProtocolError, "reserved opcode");
  if (!(b1 & kMaskBit)) return Fail(sink, kCloseProtocolError, "client frame is not masked");
  if (IsControl(op)) {
    if (!fin) return Fail(sink, kCloseProtocolError, "fragmented control frame");
    if (len7 > kMaxControlPayload) {
      return Fail(sink, kCloseProtocolError, "control frame payload over 125 bytes");
    }
  } else if (op == static_cast<uint8_t>(Opcode::kContinuation)) {
    if (fragment_op_ == Opcode::kContinuation) {
      return Fail(sink, kCloseProtocolError, "continuation frame without a message to continue");
    }
  } else if (fragment_op_ != Opcode::kContinuation) {
    return Fail(sink, kCloseProtocolError, "new message while a fragmented message is open");
  }

  const size_t ext = len7 == kLen16 ? 2 : len7 == kLen64 ? 8 : 0;
  if (data.size() < 2 + ext) return 0;
  uint64_t len = len7;
  if (ext != 0) {
    len = ReadBigEndian(data.data() + 2, ext);
    if (len >> 63) return Fail(sink, kCloseProtocolError, "64-bit length with the top bit set");
    // RFC 6455 5.2: the minimal number of bytes MUST be used to encode the length.
    if (len < (ext == 2 ? kLen16 : 0x10000)) {
      return Fail(sink, kCloseProtocolError, "payload length not minimally encoded");
    }
  }
  if (!IsControl(op)) {
    // fragments_ never exceeds the limit, so the subtraction cannot wrap.
    const uint64_t held = op == static_cast<uint8_t>(Opcode::kContinuation) ? fragments_.size() : 0;
    if (len > limits_.max_message_bytes - held) {
      return Fail(sink, kCloseTooBig, "message over the size limit");
    }
  }

  const size_t header = 2 + ext + 4;
  if (data.size() < header || data.size() - header < len) return 0;
  uint8_t* payload = data.data() + header;
  ApplyMask(payload, len, data.data() + 2 + ext);
  Deliver(static_cast<Opcode>(op), fin, AsChars(payload, len), sink);
  return failed_ ? 0 : header + len;
}

void FrameReader::Deliver(Opcode op, bool fin, std::string_view payload, FrameSink& sink) {
  switch (op) {
    case Opcode::kPing:
      sink.OnPing(payload);
      return;
    case Opcode::kPong:
      sink.OnPong(payload);
      return;
    case Opcode::kClose:
      DeliverClose(payload, sink);
      return;
    case Opcode::kText:
    case Opcode::kBinary:
      if (fin) {
        // The common case: the payload is handed over in the caller's buffer, no copy.
        if (op == Opcode::kText && !IsValidUtf8(payload)) {
          Fail(sink, kCloseInvalidPayload, "text message is not valid UTF-8");
          return;
        }
        sink.OnMessage(op, payload);
        return;
      }
      fragment_op_ = op;
      utf8_.Reset();
      break;
    case Opcode::kContinuation:
      break;
  }

  // A fragment: validate as it arrives so bad text fails before the message completes.
  if (fragment_op_ == Opcode::kText && !utf8_.Feed(payload)) {
    Fail(sink, kCloseInvalidPayload, "text message is not valid UTF-8");
    return;
  }
  fragments_.append(payload);
  if (!fin) return;
  if (fragment_op_ == Opcode::kText && !utf8_.Complete()) {
    Fail(sink, kCloseInvalidPayload, "text message ends inside a UTF-8 sequence");
    return;
  }
  const Opcode message_op = fragment_op_;
  fragment_op_ = Opcode::kContinuation;
  sink.OnMessage(message_op, fragments_);
  // Release the buffer: an idle connection holds no fragment memory.
  std::string().swap(fragments_);
}

void FrameReader::DeliverClose(std::string_view body, FrameSink& sink) {
  uint16_t code = 1005;  // RFC 6455 7.1.5: no status code was present
  std::string_view reason;
  if (!body.empty()) {
    if (body.size() == 1) {
      Fail(sink, kCloseProtocolError, "close frame body of one byte");
      return;
    }
    code = static_cast<uint16_t>(ReadBigEndian(reinterpret_cast<const uint8_t*>(body.data()), 2));
    if (!IsValidCloseCode(code)) {
      Fail(sink, kCloseProtocolError, "invalid close code");
      return;
    }
    reason = body.substr(2);
    if (!IsValidUtf8(reason)) {
      Fail(sink, kCloseInvalidPayload, "close reason is not valid UTF-8");
      return;
    }
  }
  closed_ = true;
  std::string().swap(fragments_);
  sink.OnClose(code, reason);
}

}  // namespace parley::ws
