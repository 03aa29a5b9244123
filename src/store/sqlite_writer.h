// SqliteWriter: the store's one read-write connection and the group commit of a batch.
//
// Not thread-safe: SqliteStore's writer thread owns it after Open. Open also migrates the
// schema, so every other connection to the file sees the current tables.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "store/message.h"
#include "store/sqlite_db.h"
#include "store/store_options.h"

namespace parley {

class SqliteWriter {
 public:
  // Opens (creating if needed) options.path in WAL mode with options.synchronous, and
  // applies any missing migrations. REQUIRES: ValidateStoreOptions(options).ok().
  static Result<SqliteWriter> Open(const StoreOptions& options);

  // Inserts `batch` in one transaction. results[i] is batch[i]'s outcome: a message whose
  // (room, seq) or id is already stored fails alone with kInternal; any other failure
  // (begin, insert, commit) rolls back and fails every message with the same Status.
  void Write(std::span<const StoredMessage> batch, std::vector<Status>& results);

 private:
  // `*constraint` tells a duplicate (room, seq) or id apart from a failing database.
  Status InsertOne(const StoredMessage& m, bool* constraint);
  Status Run(SqliteStmt& stmt, std::string_view what);

  SqliteDb db_;
  SqliteStmt begin_, insert_, commit_, rollback_;
  int64_t commits_ = 0;
  int64_t fail_commit_after_ = -1;
};

}  // namespace parley
