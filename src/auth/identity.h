// Identity: who is on the other end of a connection, as parley has established it. A plain
// value, copied into each socket handler at the upgrade and never changed afterwards.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace parley::auth {

struct Identity {
  enum class Kind {
    kAnonymous,  // no user credential: the name is whatever the client chose (?username=)
    kToken,      // a verified JWT from the operator's backend
    kAccount,    // a live session of one of parley's built-in accounts
  };
  Kind kind = Kind::kAnonymous;
  std::string app{};  // the API key's app name ("web", "mobile"); "" = no key
  // kToken: the "sub" claim. kAccount: the username (unique, never changes), which is
  // what a socket's messages are authored by.
  std::string user_id{};
  std::string display_name{};  // kToken: the "name" claim; kAccount: the profile's; "" = none
  std::string account_id{};    // kAccount: users.id
  std::string avatar_url{};    // kAccount: the profile's avatar, "" = none
  // kToken with a "rooms" claim: the only rooms this identity may enter.
  std::optional<std::vector<std::string>> rooms{};

  bool is_user() const { return kind != Kind::kAnonymous; }
};

}  // namespace parley::auth
