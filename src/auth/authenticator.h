// Authenticator: decides who a request is, from its API key and its user credential, and
// whether that identity may enter a room. One instance, built by app/ at startup and then
// only read: every method is const and safe from any shard thread.
//
// API keys: when auth.require_api_key is "yes" every WebSocket upgrade must carry a known
// key (Bearer or ?apiKey=), except the seed 001 socket, which may send it as its first
// message instead. A key that is presented must be known, required or not.
// User credentials: a JWT (Bearer or ?token=) must verify; its "sub" becomes the user id
// and overrides ?username=. Without a JWT, a built-in account's session (Bearer ps_... or
// the parley_session cookie) must be live in the SessionTable; its username becomes the
// user id. Sessions are looked up only when accounts are on (set_sessions).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/api_keys.h"
#include "auth/identity.h"
#include "auth/jwt_verifier.h"
#include "auth/room_access.h"
#include "auth/session_table.h"
#include "base/clock.h"
#include "base/status.h"
#include "net/http_request.h"

namespace parley::auth {

class Authenticator {
 public:
  Authenticator(ApiKeyRing keys, JwtVerifier jwt, RoomAccess rooms, bool require_api_key,
                const Clock& clock)
      : keys_(std::move(keys)),
        jwt_(std::move(jwt)),
        rooms_(std::move(rooms)),
        require_api_key_(require_api_key),
        clock_(clock) {}

  // Accounts on: sessions are looked up in `sessions` (outlives this). Startup only.
  void set_sessions(const SessionTable* sessions) { sessions_ = sessions; }

  // Refusals: invalid_api_key (a key no app has), api_key_required (none, when required
  // and `key_may_follow` is false), token_invalid, token_expired, session_invalid,
  // session_expired.
  Result<Identity> Authenticate(const net::HttpRequest& req, bool key_may_follow = false) const;

  // The app name of `key`, for keys sent inside a protocol (seed 001's auth message).
  std::optional<std::string> FindKey(std::string_view key) const { return keys_.Find(key); }

  // Ok or private_room.
  Status CheckRoom(const Identity& who, std::string_view room) const {
    return rooms_.Check(who, room);
  }

  bool keys_required() const { return require_api_key_; }
  // The seed 001 socket asks for its auth message whenever any key exists, as the seed did.
  bool seed_socket_needs_key() const { return require_api_key_ || !keys_.empty(); }

 private:
  ApiKeyRing keys_;
  JwtVerifier jwt_;
  RoomAccess rooms_;
  bool require_api_key_;
  const Clock& clock_;
  const SessionTable* sessions_ = nullptr;
};

}  // namespace parley::auth
