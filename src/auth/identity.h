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
  };
  Kind kind = Kind::kAnonymous;
  std::string app{};           // the API key's app name ("web", "mobile"); "" = no key
  std::string user_id{};       // kToken: the "sub" claim
  std::string display_name{};  // kToken: the "name" claim, "" when absent
  // kToken with a "rooms" claim: the only rooms this identity may enter.
  std::optional<std::vector<std::string>> rooms{};

  bool is_user() const { return kind != Kind::kAnonymous; }
};

}  // namespace parley::auth
