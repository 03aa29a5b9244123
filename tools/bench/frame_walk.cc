#include "frame_walk.h"

namespace parley::bench {

bool ParseFrameHead(std::string_view data, FrameHead* head) {
  if (data.size() < 2) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  head->opcode = p[0] & 0x0F;
  head->fin = (p[0] & 0x80) != 0;
  head->masked = (p[1] & 0x80) != 0;
  uint64_t len = p[1] & 0x7F;
  size_t pos = 2;
  if (len == 126) {
    if (data.size() < 4) return false;
    len = (uint64_t{p[2]} << 8) | p[3];
    pos = 4;
  } else if (len == 127) {
    if (data.size() < 10) return false;
    len = 0;
    for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
    pos = 10;
  }
  if (head->masked) pos += 4;
  if (data.size() < pos) return false;
  head->header_bytes = pos;
  head->payload_bytes = len;
  return true;
}

FrameKind ClassifySeed004(std::string_view payload) {
  constexpr std::string_view kTypeFirst = "{\"type\":\"";
  if (payload.starts_with(kTypeFirst)) {
    return payload.substr(kTypeFirst.size()).starts_with("chat\"") ? FrameKind::kChat
                                                                   : FrameKind::kOther;
  }
  // A peer that orders its fields differently: look for the type anywhere.
  return payload.find("\"type\":\"chat\"") != std::string_view::npos ? FrameKind::kChat
                                                                     : FrameKind::kOther;
}

FrameKind ClassifySocketIo(std::string_view payload) {
  if (payload == "2") return FrameKind::kPing;
  return payload.starts_with("42[\"chat\"") ? FrameKind::kChat : FrameKind::kOther;
}

}  // namespace parley::bench
