// Base64url (RFC 4648 section 5) without padding, as JWTs and parley's random keys use it.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

// Encodes `bytes` without '=' padding.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes unpadded base64url. nullopt on any character outside the alphabet, on '=', on a
// length that no encoding produces (4k+1), or on non-zero unused trailing bits (so every
// byte string has exactly one accepted encoding).
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace parley::auth
