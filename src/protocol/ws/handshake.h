// The server half of the RFC 6455 opening handshake.
#pragma once

#include <string>
#include <string_view>

namespace parley::ws {

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
std::string AcceptKey(std::string_view client_key);

// True when `key` is a base64 encoding of exactly 16 bytes, as RFC 6455 4.1 requires.
bool IsValidClientKey(std::string_view key);

}  // namespace parley::ws
