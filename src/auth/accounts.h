// Accounts: parley's built-in accounts (seed 002's users, which the seed leaves to Better
// Auth): registration, login with a password, sessions, logout and the profile.
//
// Thread: every method blocks (argon2id hashing, SQLite) and runs on the accounts thread
// only, never on a shard thread; api/auth_routes.cc submits the work there and posts the
// answer back. The instance owns its own read-write SQLite connection to parley's database
// (the store writer has another; busy_timeout settles who commits first). It writes
// through to the SessionTable, which the shards read (auth/session_table.h).
//
// User enumeration: login answers invalid_credentials both for an unknown username and a
// wrong password, and in both cases runs one argon2id verification of the same cost (an
// unknown user is checked against a hash made at startup), so the time taken does not
// tell them apart either. Registration does say username_taken: a sign-up form has to.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/password.h"
#include "auth/session_table.h"
#include "base/clock.h"
#include "base/status.h"
#include "store/sqlite_db.h"

namespace parley::auth {

struct AccountOptions {
  PasswordCost cost{};
  int64_t session_ttl_ms = int64_t{30} * 24 * 3600 * 1000;
};

// A new session, as answered to a successful register or login.
struct SignedIn {
  std::string token;  // shown to the client once; only its SHA-256 is kept
  int64_t expires_at_ms = 0;
  AccountProfile profile;
};

class Accounts {
 public:
  // Opens the database at `db_path` (migrating it), drops expired sessions and loads the
  // live ones into `sessions`. `sessions` and `clock` outlive the instance.
  static Result<std::unique_ptr<Accounts>> Open(const std::string& db_path,
                                                const AccountOptions& options,
                                                SessionTable& sessions, const Clock& clock);

  // REQUIRES: the caller validated the username, password and profile fields.
  // username_taken, unavailable (table full), or the new account signed in.
  Result<SignedIn> Register(const std::string& username, const std::string& password,
                            const std::string& display_name, const std::string& avatar_url);
  // invalid_credentials, unavailable, or a new session.
  Result<SignedIn> Login(const std::string& username, const std::string& password);
  // Deletes the session's row, then forgets it. session_invalid when it was not live.
  Status Logout(const std::string& token);
  // Sets the given fields of account `id`'s profile (nullopt keeps one); its sessions
  // report the new profile at once. not_found when the account is gone.
  Result<AccountProfile> UpdateProfile(const std::string& id,
                                       const std::optional<std::string>& display_name,
                                       const std::optional<std::string>& avatar_url);

 private:
  Accounts(SqliteDb db, const AccountOptions& options, SessionTable& sessions, const Clock& clock,
           std::string dummy_hash)
      : db_(std::move(db)),
        options_(options),
        sessions_(sessions),
        clock_(clock),
        dummy_hash_(std::move(dummy_hash)) {}
  Result<SignedIn> StartSession(const AccountProfile& profile);

  SqliteDb db_;
  const AccountOptions options_;
  SessionTable& sessions_;
  const Clock& clock_;
  // A hash of a random password at the configured cost, verified for unknown usernames.
  const std::string dummy_hash_;
};

}  // namespace parley::auth
