// The users and sessions tables (migration 6): parley's built-in accounts.
//
// Plain functions on a connection the caller owns and uses from one thread: the accounts
// thread's (auth/accounts.h). Never called on a shard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite_db.h"

namespace parley {

struct UserRow {
  std::string id{};             // 32 hex digits
  std::string username{};       // unique, ASCII letter case ignored
  std::string password_hash{};  // argon2id string (crypto_pwhash_str)
  std::string display_name{};   // "" = none
  std::string avatar_url{};     // "" = none
  int64_t created_at_ms = 0;
};

struct SessionRow {
  std::string token_sha256{};  // 64 lower-case hex digits
  std::string user_id{};
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// username_taken when the username exists in any letter case.
Status InsertUser(SqliteDb& db, const UserRow& row);
// The user called `username` (any letter case), nullopt when there is none.
Result<std::optional<UserRow>> FindUserByName(SqliteDb& db, const std::string& username);
Result<std::optional<UserRow>> FindUserById(SqliteDb& db, const std::string& id);
// Sets display_name and avatar_url of user `id`; not_found when there is no such user.
Status UpdateUserProfile(SqliteDb& db, const std::string& id, const std::string& display_name,
                         const std::string& avatar_url);

Status InsertSession(SqliteDb& db, const SessionRow& row);
Status DeleteSession(SqliteDb& db, const std::string& token_sha256);
// Deletes sessions whose expires_at is at or before `now_ms`.
Status DeleteExpiredSessions(SqliteDb& db, int64_t now_ms);

// A live session and its user (password_hash left empty), for loading at startup.
struct LiveSession {
  SessionRow session;
  UserRow user;
};
// Sessions that expire after `now_ms`, oldest first.
Result<std::vector<LiveSession>> LoadLiveSessions(SqliteDb& db, int64_t now_ms);

}  // namespace parley
