// Binary packets: parley's native protocol v1 messages carried in binary WebSocket
// messages, one packet per message, with a versioned header, a CRC32 of the payload and,
// above a size threshold, an LZ4-compressed body. docs/protocol.md ("Binary packets") gives
// the layout byte by byte.
//
// Pure functions: no I/O, no state, safe from any thread. DecodePacket reads untrusted
// bytes and is fuzzed (parley_packet_fuzz); it never allocates more than the caller's limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "protocol/shared_frame.h"

namespace parley::packet {

inline constexpr uint8_t kMagic = 0x50;  // 'P'
inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kHeaderBytes = 16;
// Flags byte: bit 0 says the body is one LZ4 block; the other bits are reserved (0).
inline constexpr uint8_t kFlagLz4 = 0x01;

// The header as it sits on the wire (all integers little-endian).
struct Header {
  uint8_t magic = kMagic;
  uint8_t version = kVersion;
  uint8_t flags = 0;
  uint8_t reserved = 0;
  uint32_t payload_bytes = 0;  // length of the decoded payload (the JSON)
  uint32_t body_bytes = 0;     // bytes after the header
  uint32_t crc32 = 0;          // CRC-32 (IEEE, as zlib's crc32) of the decoded payload
};

// Encodes `payload` as one packet. The body is LZ4-compressed when `compress_min_bytes` is
// not 0, the payload has at least that many bytes, and compression makes it smaller;
// otherwise it is the payload itself. REQUIRES: payload.size() < 2^31.
std::string EncodePacket(std::string_view payload, size_t compress_min_bytes);

// Decodes one packet (one whole binary WebSocket message) into its payload. The header is
// checked before anything is allocated: a declared payload over `max_payload_bytes` is
// refused without decompressing. Errors (each with a sentence for the client):
//   truncated_packet     shorter than the header, or than the header's body length
//   unsupported_version  a version byte other than kVersion
//   bad_packet           wrong magic, reserved bits set, bytes after the body, or a body
//                        that does not decode to exactly payload_bytes
//   packet_too_large     payload_bytes over max_payload_bytes
//   bad_checksum         the decoded payload's CRC-32 differs from the header's
// The payload is not checked for UTF-8 or JSON; that is the caller's next step.
Result<std::string> DecodePacket(std::string_view packet, size_t max_payload_bytes);

// Reads the header only (no checks beyond the length). False when `packet` is shorter than
// kHeaderBytes.
bool ReadHeader(std::string_view packet, Header* out);

// CRC-32 as the header carries it.
uint32_t Crc32(std::string_view bytes);

// One binary WebSocket frame carrying EncodePacket(payload, compress_min_bytes).
SharedFrame MakePacketFrame(std::string_view payload, size_t compress_min_bytes);

// The same message as `frame`, for a socket that reads packets: a text frame (as
// MakeTextFrame makes them) becomes MakePacketFrame of its payload; any other frame is
// returned as it is.
SharedFrame TextToPacketFrame(const SharedFrame& frame, size_t compress_min_bytes);

}  // namespace parley::packet
