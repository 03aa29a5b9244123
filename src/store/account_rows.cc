#include "store/account_rows.h"

namespace parley {
namespace {

constexpr std::string_view kUserColumns =
    "id, username, password_hash, display_name, avatar_url, created_at";

UserRow ReadUser(const SqliteStmt& s, int first) {
  return UserRow{.id = s.ColumnText(first),
                 .username = s.ColumnText(first + 1),
                 .password_hash = s.ColumnText(first + 2),
                 .display_name = s.ColumnText(first + 3),
                 .avatar_url = s.ColumnText(first + 4),
                 .created_at_ms = s.ColumnInt64(first + 5)};
}

Result<std::optional<UserRow>> FindUserWhere(SqliteDb& db, std::string_view column,
                                             const std::string& value) {
  auto stmt = db.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE " +
                         std::string(column) + " = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, value);
  const int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<UserRow>();
  if (rc != SQLITE_ROW) return db.Error(rc, "find user");
  return std::optional<UserRow>(ReadUser(*stmt, 0));
}

}  // namespace

Status InsertUser(SqliteDb& db, const UserRow& row) {
  auto stmt =
      db.Prepare("INSERT INTO users (" + std::string(kUserColumns) + ") VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, row.id);
  stmt->BindText(2, row.username);
  stmt->BindText(3, row.password_hash);
  stmt->BindText(4, row.display_name);
  stmt->BindText(5, row.avatar_url);
  stmt->BindInt64(6, row.created_at_ms);
  const int rc = stmt->Step();
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status(ErrorCode::kUsernameTaken, "This username is taken; choose another.");
  }
  if (rc != SQLITE_DONE) return db.Error(rc, "insert user");
  return Status::Ok();
}

Result<std::optional<UserRow>> FindUserByName(SqliteDb& db, const std::string& username) {
  return FindUserWhere(db, "username", username);
}

Result<std::optional<UserRow>> FindUserById(SqliteDb& db, const std::string& id) {
  return FindUserWhere(db, "id", id);
}

Status UpdateUserProfile(SqliteDb& db, const std::string& id, const std::string& display_name,
                         const std::string& avatar_url) {
  auto stmt = db.Prepare("UPDATE users SET display_name = ?, avatar_url = ? WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, display_name);
  stmt->BindText(2, avatar_url);
  stmt->BindText(3, id);
  const int rc = stmt->Step();
  if (rc != SQLITE_DONE) return db.Error(rc, "update user");
  if (sqlite3_changes(db.get()) == 0) return Status(ErrorCode::kNotFound, "No such account.");
  return Status::Ok();
}

Status InsertSession(SqliteDb& db, const SessionRow& row) {
  auto stmt = db.Prepare(
      "INSERT INTO sessions (token_sha256, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, row.token_sha256);
  stmt->BindText(2, row.user_id);
  stmt->BindInt64(3, row.created_at_ms);
  stmt->BindInt64(4, row.expires_at_ms);
  const int rc = stmt->Step();
  if (rc != SQLITE_DONE) return db.Error(rc, "insert session");
  return Status::Ok();
}

Status DeleteSession(SqliteDb& db, const std::string& token_sha256) {
  auto stmt = db.Prepare("DELETE FROM sessions WHERE token_sha256 = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, token_sha256);
  const int rc = stmt->Step();
  if (rc != SQLITE_DONE) return db.Error(rc, "delete session");
  return Status::Ok();
}

Status DeleteExpiredSessions(SqliteDb& db, int64_t now_ms) {
  auto stmt = db.Prepare("DELETE FROM sessions WHERE expires_at <= ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt64(1, now_ms);
  const int rc = stmt->Step();
  if (rc != SQLITE_DONE) return db.Error(rc, "delete expired sessions");
  return Status::Ok();
}

Result<std::vector<LiveSession>> LoadLiveSessions(SqliteDb& db, int64_t now_ms) {
  auto stmt = db.Prepare(
      "SELECT s.token_sha256, s.user_id, s.created_at, s.expires_at, u.id, u.username, '', "
      "u.display_name, u.avatar_url, u.created_at FROM sessions s JOIN users u ON u.id = "
      "s.user_id WHERE s.expires_at > ? ORDER BY s.created_at");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt64(1, now_ms);
  std::vector<LiveSession> out;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    out.push_back(LiveSession{.session = SessionRow{.token_sha256 = stmt->ColumnText(0),
                                                    .user_id = stmt->ColumnText(1),
                                                    .created_at_ms = stmt->ColumnInt64(2),
                                                    .expires_at_ms = stmt->ColumnInt64(3)},
                              .user = ReadUser(*stmt, 4)});
  }
  if (rc != SQLITE_DONE) return db.Error(rc, "load sessions");
  return out;
}

}  // namespace parley
