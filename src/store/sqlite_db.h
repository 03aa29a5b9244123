// SqliteDb and SqliteStmt: move-only owners of a sqlite3* connection and a sqlite3_stmt*.
//
// Not thread-safe: a connection (and every statement prepared on it) is used by one thread
// at a time; connections are opened with SQLITE_OPEN_NOMUTEX for that reason. Errors come
// back as Status values whose message names the database path and SQLite's own errmsg.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace parley {

class SqliteStmt {
 public:
  SqliteStmt() = default;
  SqliteStmt(sqlite3_stmt* stmt) : stmt_(stmt) {}  // NOLINT: takes ownership
  SqliteStmt(SqliteStmt&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStmt& operator=(SqliteStmt&& other) noexcept;
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;
  ~SqliteStmt();

  // Parameters are 1-based, as in SQLite. The bound text must outlive the next Step():
  // it is bound without a copy (SQLITE_STATIC).
  void BindInt64(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindNull(int index);

  // Returns SQLite's result code: SQLITE_ROW, SQLITE_DONE or an error.
  int Step();
  // Resets the statement and clears its bindings, ready for the next use.
  void Reset();

  // Columns are 0-based. REQUIRES: the last Step() returned SQLITE_ROW.
  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;  // NULL reads as ""
  bool ColumnIsNull(int index) const;

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX and EXRESCODE are always added).
  static Result<SqliteDb> Open(const std::string& path, int flags);

  // Runs one or more statements that return no rows we need (DDL, PRAGMA, BEGIN ...).
  Status Exec(std::string_view sql);
  // Runs a statement that returns one row and one text column (e.g. PRAGMA journal_mode).
  Result<std::string> QueryText(std::string_view sql);
  // Prepares a statement kept for the life of the connection.
  Result<SqliteStmt> Prepare(std::string_view sql);
  // Prepares each (statement, sql) pair; stops at the first failure.
  Status PrepareAll(std::initializer_list<std::pair<SqliteStmt*, std::string_view>> stmts);
  // How long a statement waits for a lock another connection holds before SQLITE_BUSY.
  Status SetBusyTimeout(int ms);

  // A Status for SQLite result code `rc` after `what` failed on this connection:
  // "<what> on '<path>': <errmsg>". Busy/IO/full errors map to kUnavailable, the rest
  // to kInternal.
  Status Error(int rc, std::string_view what) const;

  bool in_transaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }
  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace parley
