// The JSON bodies of /api/auth: register, login and profile updates. Pure functions, no
// I/O; fuzzed with the other request decoders (input_fuzz.cc).
//
//   register: {"username": U, "password": P, "displayName"?: D, "avatarUrl"?: A}
//   login:    {"username": U, "password": P}
//   profile:  {"displayName"?: D, "avatarUrl"?: A}
//
// Rules: a username as everywhere in parley (validation.h, invalid_username); a password of
// min_password_bytes..max_password_bytes (invalid_password); a displayName like a username
// or "" for none; an avatarUrl of http://, https:// or /files/ (an upload) without blanks
// or control characters, at most max_avatar_url_bytes, or "" for none (invalid_field).
// Unknown fields are ignored; a body that is not a JSON object is bad_request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace parley::api {

struct AccountLimits {
  int max_username_chars = 32;
  int min_password_bytes = 8;
  int max_password_bytes = 256;
  int max_avatar_url_bytes = 2048;
};

struct CredentialsRequest {
  std::string username{};
  std::string password{};
  std::string display_name{};  // register only; "" = none
  std::string avatar_url{};    // register only; "" = none
};

struct ProfileRequest {
  std::optional<std::string> display_name{};  // absent = unchanged
  std::optional<std::string> avatar_url{};
};

// `with_profile`: register (displayName and avatarUrl read); login otherwise.
Result<CredentialsRequest> ParseCredentialsRequest(std::string_view body,
                                                   const AccountLimits& limits, bool with_profile);
Result<ProfileRequest> ParseProfileRequest(std::string_view body, const AccountLimits& limits);

}  // namespace parley::api
