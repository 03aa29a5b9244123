// ReadCredentials: the credentials a request carries, sorted by kind. Pure and fuzzed
// (auth_fuzz_driver.cc); nothing is verified here.
//
//   Authorization: Bearer <jwt>      -> token   (three dot-separated parts)
//   Authorization: Bearer ps_<...>   -> session (a built-in account's session token)
//   Authorization: Bearer <key>      -> api_key (anything else)
//   ?token=<jwt>                     -> token
//   ?apiKey=<key>                    -> api_key
//   Cookie: parley_session=<...>     -> session
//
// When a kind is given twice, the header wins over the query parameter or cookie.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/http_request.h"

namespace parley::auth {

struct Credentials {
  std::string api_key{};
  std::string token{};
  std::string session{};
};

// The prefix of every session token parley issues ("ps_" + 43 base64url characters).
inline constexpr std::string_view kSessionTokenPrefix = "ps_";

// The credential of an "Authorization: Bearer X" header value (scheme case-insensitive,
// RFC 6750 2.1), or nullopt for any other scheme or an empty credential.
std::optional<std::string_view> BearerCredential(std::string_view authorization);

Credentials ReadCredentials(const net::HttpRequest& req);

}  // namespace parley::auth
