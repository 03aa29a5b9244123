// SessionTable: the live sessions of parley's built-in accounts, in memory, so any shard
// can tell who a session token belongs to without touching the disk.
//
// A session is known by the SHA-256 of its token (the token itself is never kept). The
// table is loaded from SQLite at startup (sessions table, migration 6) and written through
// by the accounts thread (auth/accounts.h): a row is inserted before the session enters
// the table, and the session leaves the table after its row is deleted, so a restart never
// revives a logged-out session nor loses a live one.
//
// Memory bound: at most `max_sessions` sessions plus one profile per account that has any.
// Overflow rule: Insert first drops expired sessions; if every session is still live it
// refuses (the caller answers 503 unavailable). An expired session stays until then, so
// it answers session_expired rather than session_invalid.
//
// Thread-safe: one mutex, held for a hash lookup and a copy of a short profile; Find is
// called once per WebSocket upgrade or /api/auth request, not per message.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/api_keys.h"
#include "base/status.h"

namespace parley::auth {

// What a session says about its account: the public part of a users row.
struct AccountProfile {
  std::string id{};            // users.id: 32 hex digits, never reused
  std::string username{};      // as registered; unique regardless of letter case
  std::string display_name{};  // "" = none chosen
  std::string avatar_url{};    // "" = none
  int64_t created_at_ms = 0;
};

// A new session token: "ps_" + 43 base64url characters (256 random bits from libsodium).
std::string NewSessionToken();

class SessionTable {
 public:
  explicit SessionTable(size_t max_sessions) : max_sessions_(max_sessions) {}
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  // Adds the session `digest` of `profile`'s account (its profile replaces the one held).
  // False when the table is full of live sessions at `now_ms`.
  bool Insert(const Sha256Digest& digest, const AccountProfile& profile, int64_t expires_at_ms,
              int64_t now_ms);
  // The session's account; session_invalid when unknown, session_expired at or past its
  // expiry.
  Result<AccountProfile> Find(const Sha256Digest& digest, int64_t now_ms) const;
  // Forgets the session; false when it was not there.
  bool Erase(const Sha256Digest& digest);
  // Replaces the profile every session of `profile.id` reports. No-op without sessions.
  void UpdateProfile(const AccountProfile& profile);

  size_t size() const;

 private:
  struct DigestHash {
    size_t operator()(const Sha256Digest& d) const;
  };
  struct Session {
    std::string account_id;
    int64_t expires_at_ms = 0;
  };
  struct Account {
    AccountProfile profile;
    size_t sessions = 0;
  };
  void EraseLocked(std::unordered_map<Sha256Digest, Session, DigestHash>::iterator it);

  const size_t max_sessions_;
  mutable std::mutex mu_;
  std::unordered_map<Sha256Digest, Session, DigestHash> sessions_;  // guarded by mu_
  std::unordered_map<std::string, Account> accounts_;               // guarded by mu_
};

}  // namespace parley::auth
