// SqliteReader: one read-only connection with the store's read queries prepared.
//
// Not thread-safe: each of SqliteStore's reader threads owns one. In WAL mode readers never
// block the writer, and each query reads one consistent snapshot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/store_options.h"

namespace parley {

class SqliteReader {
 public:
  // REQUIRES: the database exists and is migrated (SqliteWriter::Open ran).
  static Result<SqliteReader> Open(const StoreOptions& options);

  // The room's last seq and its `recent` (>= 0) newest messages, oldest first, from one
  // snapshot.
  Result<RoomTail> LoadTail(const std::string& room, int recent);
  // Up to query.limit (>= 1) messages with seq < before_seq (<= 0: newest), oldest first.
  Result<std::vector<StoredMessage>> ReadHistory(const HistoryQuery& query);

 private:
  // Appends up to `limit` messages of `room` with seq < before, newest first.
  Status ReadPage(const std::string& room, int64_t before, int limit,
                  std::vector<StoredMessage>& out);
  Result<RoomTail> LoadTailInTransaction(const std::string& room, int recent);

  SqliteDb db_;
  SqliteStmt begin_, end_, max_seq_, page_;
};

}  // namespace parley
