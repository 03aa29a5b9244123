// ParseJwt: splits a compact JWS (header.payload.signature) and reads the claims parley
// uses. Pure and fuzzed (auth_fuzz_driver.cc): it checks shape, base64url, JSON and claim types,
// and never looks at keys or clocks; JwtVerifier (jwt_verifier.h) checks the signature and
// the times. Thread-safe: no shared state beyond a per-thread JSON parser.
//
// Accepted header: {"alg":"HS256"|"RS256", "typ":"JWT" (optional), "kid" (ignored)}.
// Anything else in "alg" (none, HS512, ES256, ...) and any "crit" header is refused.
// Claims: sub (string, required), exp (integer seconds, required), name (string,
// optional), nbf (integer, optional), rooms (array of strings, optional).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace parley::auth {

enum class JwtAlg { kHs256, kRs256 };

struct JwtLimits {
  size_t max_token_bytes = 8192;  // longer tokens are refused (token_invalid)
  size_t max_rooms = 100;         // entries in "rooms"; more is refused (token_invalid)
  size_t max_field_bytes = 256;   // sub, name and each room; longer is refused
};

struct JwtClaims {
  std::string sub{};
  std::string name{};  // "" when absent
  int64_t exp = 0;
  std::optional<int64_t> nbf{};
  // Present only when the token carries "rooms": the rooms it may enter.
  std::optional<std::vector<std::string>> rooms{};
};

struct ParsedJwt {
  JwtAlg alg = JwtAlg::kHs256;
  std::string_view signing_input{};  // "header.payload", a view into the token
  std::string signature{};           // decoded bytes
  JwtClaims claims{};
};

// True when `token` has the shape of a compact JWS: exactly two dots, no spaces. Cheap; used
// to tell a bearer JWT from an API key or a session token.
bool LooksLikeJwt(std::string_view token);

// Every failure is ErrorCode::kTokenInvalid with a sentence naming what is wrong.
// The result's signing_input points into `token`, which must outlive it.
Result<ParsedJwt> ParseJwt(std::string_view token, const JwtLimits& limits);

}  // namespace parley::auth
