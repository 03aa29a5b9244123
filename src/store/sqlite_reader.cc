#include "store/sqlite_reader.h"

#include <algorithm>
#include <limits>

#include "base/log.h"

namespace parley {
namespace {

constexpr std::string_view kMaxSeqSql =
    "SELECT coalesce(max(seq), 0) FROM messages WHERE room = ?1";
// Newest first so LIMIT picks the page next to before_seq; callers reverse it.
constexpr std::string_view kPageSql =
    "SELECT seq, id, username, message, timestamp, client_id FROM messages "
    "WHERE room = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3";
constexpr int64_t kNewest = std::numeric_limits<int64_t>::max();

}  // namespace

Result<SqliteReader> SqliteReader::Open(const StoreOptions& options) {
  SqliteReader r;
  Result<SqliteDb> db = SqliteDb::Open(options.path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  r.db_ = std::move(db).value();
  if (Status s = r.db_.SetBusyTimeout(options.busy_timeout_ms); !s.ok()) return s;
  if (Status s = r.db_.Exec("PRAGMA foreign_keys = ON"); !s.ok()) return s;
  Status prepared = r.db_.PrepareAll(
      {{&r.begin_, "BEGIN"}, {&r.end_, "COMMIT"}, {&r.max_seq_, kMaxSeqSql}, {&r.page_, kPageSql}});
  if (!prepared.ok()) return prepared;
  return r;
}

Status SqliteReader::ReadPage(const std::string& room, int64_t before, int limit,
                              std::vector<StoredMessage>& out) {
  page_.BindText(1, room);
  page_.BindInt64(2, before);
  page_.BindInt64(3, limit);
  int rc;
  while ((rc = page_.Step()) == SQLITE_ROW) {
    StoredMessage& m = out.emplace_back();
    m.room = room;
    m.seq = page_.ColumnInt64(0);
    m.id = page_.ColumnText(1);
    m.username = page_.ColumnText(2);
    m.text = page_.ColumnText(3);
    m.timestamp_ms = page_.ColumnInt64(4);
    m.client_id = page_.ColumnText(5);  // NULL (no client id) reads as ""
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, "read messages");
  page_.Reset();
  return status;
}

Result<std::vector<StoredMessage>> SqliteReader::ReadHistory(const HistoryQuery& query) {
  std::vector<StoredMessage> messages;
  Status s = ReadPage(query.room, query.before_seq > 0 ? query.before_seq : kNewest, query.limit,
                      messages);
  if (!s.ok()) {
    PARLEY_LOG_ERROR("store_read_failed path={} error=\"{}\"", db_.path(), s.message());
    return s;
  }
  std::reverse(messages.begin(), messages.end());
  return messages;
}

Result<RoomTail> SqliteReader::LoadTail(const std::string& room, int recent) {
  Result<RoomTail> tail = LoadTailInTransaction(room, recent);
  if (!tail.ok()) {
    if (db_.in_transaction()) (void)db_.Exec("ROLLBACK");
    PARLEY_LOG_ERROR("store_read_failed path={} error=\"{}\"", db_.path(), tail.status().message());
  }
  return tail;
}

// Two queries in one read transaction, so last_seq and the messages share a snapshot even
// while the writer commits between them.
Result<RoomTail> SqliteReader::LoadTailInTransaction(const std::string& room, int recent) {
  int rc = begin_.Step();
  begin_.Reset();
  if (rc != SQLITE_DONE) return db_.Error(rc, "begin read");
  RoomTail tail;
  max_seq_.BindText(1, room);
  rc = max_seq_.Step();
  Status status = rc == SQLITE_ROW ? Status::Ok() : db_.Error(rc, "read last seq");
  if (status.ok()) tail.last_seq = max_seq_.ColumnInt64(0);
  max_seq_.Reset();
  if (!status.ok()) return status;
  if (recent > 0) {
    if (Status s = ReadPage(room, kNewest, recent, tail.recent); !s.ok()) return s;
  }
  rc = end_.Step();
  end_.Reset();
  if (rc != SQLITE_DONE) return db_.Error(rc, "end read");
  std::reverse(tail.recent.begin(), tail.recent.end());
  return tail;
}

}  // namespace parley
