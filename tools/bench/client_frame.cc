#include "client_frame.h"

#include "loop.h"
#include "protocol/ws/handshake.h"

namespace parley::bench {
namespace {

// One fixed key: the server must still answer with its accept value, which is what the
// check needs; a random key per connection would only cost time.
constexpr std::string_view kClientKey = "dGhlIHNhbXBsZSBub25jZQ==";

const std::string& ExpectedAccept() {
  static const std::string accept = ws::AcceptKey(kClientKey);
  return accept;
}

uint32_t NextMask() {
  thread_local uint32_t state = 0x9E3779B9u ^ static_cast<uint32_t>(NowNs());
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

}  // namespace

void AppendMaskedFrame(std::string& out, uint8_t opcode, std::string_view payload) {
  const uint32_t mask = NextMask();
  const uint8_t key[4] = {static_cast<uint8_t>(mask >> 24), static_cast<uint8_t>(mask >> 16),
                          static_cast<uint8_t>(mask >> 8), static_cast<uint8_t>(mask)};
  out.push_back(static_cast<char>(0x80 | opcode));
  const uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(n >> (8 * i)));
  }
  out.append(reinterpret_cast<const char*>(key), 4);
  const size_t start = out.size();
  out.append(payload);
  for (size_t i = 0; i < n; ++i) out[start + i] = static_cast<char>(out[start + i] ^ key[i & 3]);
}

void AppendUpgradeRequest(std::string& out, std::string_view path, std::string_view host_header) {
  out += "GET ";
  out += path;
  out += " HTTP/1.1\r\nHost: ";
  out += host_header;
  out += "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ";
  out += kClientKey;
  out += "\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

bool UpgradeAccepted(std::string_view head) {
  return head.starts_with("HTTP/1.1 101") && head.find(ExpectedAccept()) != std::string_view::npos;
}

}  // namespace parley::bench
