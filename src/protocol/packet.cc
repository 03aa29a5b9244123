#include "protocol/packet.h"

#include <fmt/format.h>
#include <lz4.h>
#include <zlib.h>

#include <memory>

#include "protocol/ws/frame.h"

namespace parley::packet {
namespace {

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void WriteHeader(const Header& h, char* out) {
  out[0] = static_cast<char>(h.magic);
  out[1] = static_cast<char>(h.version);
  out[2] = static_cast<char>(h.flags);
  out[3] = static_cast<char>(h.reserved);
  PutU32(out + 4, h.payload_bytes);
  PutU32(out + 8, h.body_bytes);
  PutU32(out + 12, h.crc32);
}

// LZ4's API counts in int; no payload parley accepts comes near this.
constexpr uint32_t kMaxLz4Bytes = 0x7E000000;  // LZ4_MAX_INPUT_SIZE

Status Bad(std::string message) { return Status(ErrorCode::kBadPacket, std::move(message)); }

// The payload of an unmasked, final server text frame; false for anything else.
bool TextFramePayload(std::string_view frame, std::string_view* payload) {
  if (frame.size() < 2) return false;
  const auto b0 = static_cast<uint8_t>(frame[0]);
  const auto b1 = static_cast<uint8_t>(frame[1]);
  if (b0 != (0x80 | static_cast<uint8_t>(ws::Opcode::kText)) || (b1 & 0x80) != 0) return false;
  size_t header = 2;
  if ((b1 & 0x7F) == 126) {
    header = 4;
  } else if ((b1 & 0x7F) == 127) {
    header = 10;
  }
  if (frame.size() < header) return false;
  *payload = frame.substr(header);
  return true;
}

}  // namespace

uint32_t Crc32(std::string_view bytes) {
  // zlib's length is a uInt; payloads are bounded far below 4 GiB, but loop to be exact.
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  size_t left = bytes.size();
  while (left > 0) {
    const uInt n = left > (1u << 30) ? (1u << 30) : static_cast<uInt>(left);
    crc = crc32(crc, p, n);
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(crc);
}

std::string EncodePacket(std::string_view payload, size_t compress_min_bytes) {
  Header h;
  h.payload_bytes = static_cast<uint32_t>(payload.size());
  h.crc32 = Crc32(payload);
  std::string out;
  if (compress_min_bytes != 0 && payload.size() >= compress_min_bytes) {
    const int src = static_cast<int>(payload.size());
    const int bound = LZ4_compressBound(src);
    out.resize(kHeaderBytes + static_cast<size_t>(bound));
    const int n = LZ4_compress_default(payload.data(), out.data() + kHeaderBytes, src, bound);
    if (n > 0 && static_cast<size_t>(n) < payload.size()) {
      out.resize(kHeaderBytes + static_cast<size_t>(n));
      h.flags = kFlagLz4;
      h.body_bytes = static_cast<uint32_t>(n);
      WriteHeader(h, out.data());
      return out;
    }
    // Incompressible: sent as it is, which is never larger.
  }
  out.resize(kHeaderBytes);
  out.append(payload);
  h.body_bytes = static_cast<uint32_t>(payload.size());
  WriteHeader(h, out.data());
  return out;
}

bool ReadHeader(std::string_view packet, Header* out) {
  if (packet.size() < kHeaderBytes) return false;
  out->magic = static_cast<uint8_t>(packet[0]);
  out->version = static_cast<uint8_t>(packet[1]);
  out->flags = static_cast<uint8_t>(packet[2]);
  out->reserved = static_cast<uint8_t>(packet[3]);
  out->payload_bytes = GetU32(packet.data() + 4);
  out->body_bytes = GetU32(packet.data() + 8);
  out->crc32 = GetU32(packet.data() + 12);
  return true;
}

Result<std::string> DecodePacket(std::string_view packet, size_t max_payload_bytes) {
  Header h;
  if (!ReadHeader(packet, &h)) {
    return Status(ErrorCode::kTruncatedPacket,
                  fmt::format("A packet starts with a {}-byte header; this one has {} bytes.",
                              kHeaderBytes, packet.size()));
  }
  if (h.magic != kMagic) return Bad("A packet starts with the byte 0x50 ('P').");
  if (h.version != kVersion) {
    return Status(ErrorCode::kUnsupportedVersion,
                  fmt::format("Packet version {} is not supported; parley speaks version {}.",
                              h.version, kVersion));
  }
  if ((h.flags & ~kFlagLz4) != 0 || h.reserved != 0) {
    return Bad("A packet's reserved flag bits and reserved byte must be 0.");
  }
  // The limit is checked on the declared size, before any byte is allocated or
  // decompressed: a small body cannot make parley reserve a large buffer.
  if (h.payload_bytes > max_payload_bytes || h.payload_bytes > kMaxLz4Bytes) {
    return Status(ErrorCode::kPacketTooLarge,
                  fmt::format("A packet's payload is at most {} bytes; this one declares {}.",
                              max_payload_bytes, h.payload_bytes));
  }
  const std::string_view body = packet.substr(kHeaderBytes);
  if (body.size() > kMaxLz4Bytes) return Bad("A packet's body is at most 2 GiB.");
  if (h.body_bytes > body.size()) {
    return Status(ErrorCode::kTruncatedPacket,
                  fmt::format("The packet declares a {}-byte body but carries {} bytes.",
                              h.body_bytes, body.size()));
  }
  if (h.body_bytes < body.size()) {
    return Bad(fmt::format("The packet carries {} bytes after its {}-byte body.",
                           body.size() - h.body_bytes, h.body_bytes));
  }
  std::string payload;
  if ((h.flags & kFlagLz4) == 0) {
    if (h.body_bytes != h.payload_bytes) {
      return Bad("An uncompressed packet's body length must equal its payload length.");
    }
    payload.assign(body);
  } else {
    payload.resize(h.payload_bytes);
    // Bounded by the destination: LZ4 never writes past payload_bytes, and a block that
    // would decode to more (or less) is refused.
    const int n = LZ4_decompress_safe(body.data(), payload.data(), static_cast<int>(body.size()),
                                      static_cast<int>(h.payload_bytes));
    if (n < 0 || static_cast<uint32_t>(n) != h.payload_bytes) {
      return Bad("The packet's LZ4 body does not decode to its declared payload length.");
    }
  }
  if (Crc32(payload) != h.crc32) {
    return Status(ErrorCode::kBadChecksum,
                  "The packet's CRC-32 does not match its payload; it was damaged on the way.");
  }
  return payload;
}

SharedFrame MakePacketFrame(std::string_view payload, size_t compress_min_bytes) {
  return std::make_shared<const std::string>(
      ws::EncodeFrame(ws::Opcode::kBinary, EncodePacket(payload, compress_min_bytes)));
}

SharedFrame TextToPacketFrame(const SharedFrame& frame, size_t compress_min_bytes) {
  std::string_view payload;
  if (!TextFramePayload(*frame, &payload)) return frame;
  return MakePacketFrame(payload, compress_min_bytes);
}

}  // namespace parley::packet
