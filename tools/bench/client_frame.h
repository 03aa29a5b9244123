// What every generator WebSocket client writes and checks: masked client frames
// (RFC 6455 5.3) and the HTTP/1.1 upgrade. Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parley::bench {

inline constexpr uint8_t kOpContinuation = 0x0, kOpText = 0x1, kOpClose = 0x8, kOpPing = 0x9,
                         kOpPong = 0xA;

// Appends a masked client frame for `payload` to `out` (a fresh mask per frame).
void AppendMaskedFrame(std::string& out, uint8_t opcode, std::string_view payload);

// Appends the upgrade request for `path` with `host_header` to `out`.
void AppendUpgradeRequest(std::string& out, std::string_view path, std::string_view host_header);

// True when a response head (up to, without, the blank line) is a 101 that accepts the key
// AppendUpgradeRequest sent.
bool UpgradeAccepted(std::string_view head);

}  // namespace parley::bench
