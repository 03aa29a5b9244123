#include "store/sqlite_db.h"

#include <fmt/format.h>

#include <utility>

namespace parley {

SqliteStmt& SqliteStmt::operator=(SqliteStmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStmt::~SqliteStmt() { sqlite3_finalize(stmt_); }

// Bind errors can only be SQLITE_RANGE/SQLITE_NOMEM; both are programming errors or
// resource exhaustion that the following Step() reports with the connection's errmsg.
void SqliteStmt::BindInt64(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void SqliteStmt::BindText(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void SqliteStmt::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

int SqliteStmt::Step() { return sqlite3_step(stmt_); }

void SqliteStmt::Reset() {
  // sqlite3_reset repeats the last step's error; the caller already saw it from Step().
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t SqliteStmt::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string SqliteStmt::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (text == nullptr) return std::string();
  // Length from column_bytes, not strlen: the text is kept byte for byte.
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

bool SqliteStmt::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

// close_v2 defers the close until every statement is finalized, so member order in the
// owners of statements does not matter.
SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Result<SqliteDb> SqliteDb::Open(const std::string& path, int flags) {
  SqliteDb db;
  db.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &db.db_,
                           flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  if (rc != SQLITE_OK) {
    // On failure SQLite may still hand back a handle that carries the error message.
    Status status = db.db_ != nullptr
                        ? db.Error(rc, "open database")
                        : Status(ErrorCode::kUnavailable, fmt::format("open database on '{}': {}",
                                                                      path, sqlite3_errstr(rc)));
    return status;
  }
  return db;
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string owned(sql);  // sqlite3_exec needs a NUL-terminated string
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, fmt::format("'{}'", sql.substr(0, 60)));
  return Status::Ok();
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  Result<SqliteStmt> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  int rc = stmt->Step();
  if (rc != SQLITE_ROW) return Error(rc, fmt::format("'{}'", sql));
  return stmt->ColumnText(0);
}

Result<SqliteStmt> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, fmt::format("prepare '{}'", sql.substr(0, 60)));
  return SqliteStmt(stmt);
}

Status SqliteDb::PrepareAll(std::initializer_list<std::pair<SqliteStmt*, std::string_view>> stmts) {
  for (auto [stmt, sql] : stmts) {
    Result<SqliteStmt> prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(prepared).value();
  }
  return Status::Ok();
}

Status SqliteDb::SetBusyTimeout(int ms) {
  int rc = sqlite3_busy_timeout(db_, ms);
  if (rc != SQLITE_OK) return Error(rc, "set busy_timeout");
  return Status::Ok();
}

Status SqliteDb::Error(int rc, std::string_view what) const {
  ErrorCode code;
  switch (rc & 0xff) {  // the primary code of an extended result code
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      code = ErrorCode::kUnavailable;
      break;
    default:
      code = ErrorCode::kInternal;
  }
  const char* msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  return Status(code, fmt::format("{} on '{}': {}", what, path_, msg));
}

}  // namespace parley
