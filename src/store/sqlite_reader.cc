#include "store/sqlite_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "base/log.h"
#include "store/sqlite_rows.h"

namespace parley {
namespace {

using sqlite_rows::FtsRowid;
using sqlite_rows::kMaxSeq;

constexpr std::string_view kMaxSeqSql =
    "SELECT coalesce(max(seq), 0) FROM messages WHERE room = ?1";
// Newest first so LIMIT picks the page next to before_seq; callers reverse it.
constexpr std::string_view kPageDescSql =
    "SELECT {} FROM messages WHERE room = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3";
constexpr std::string_view kPageAscSql =
    "SELECT {} FROM messages WHERE room = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq LIMIT ?4";
// Walks messages_room_time backwards from the newest, so LIMIT keeps the newest ids and
// nothing older than the window is read.
constexpr std::string_view kClientIdsSql =
    "SELECT username, client_id, id, seq, timestamp FROM messages "
    "WHERE room = ?1 AND timestamp >= ?2 AND client_id IS NOT NULL AND client_id <> '' "
    "ORDER BY timestamp DESC, seq DESC LIMIT ?3";
constexpr std::string_view kMarkersSql =
    "SELECT username, seq FROM read_markers WHERE room = ?1 ORDER BY seq DESC, username LIMIT ?2";
constexpr std::string_view kRoomIdSql = "SELECT id FROM rooms WHERE name = ?1";
// CROSS JOIN keeps the index outer: FTS5 yields the room's rowid range newest first, and
// each match is one primary-key lookup. Tombstones have no index row; the deleted test
// only guards against a row the writer has not removed yet in some future change.
constexpr std::string_view kSearchSql =
    "SELECT {} FROM messages_fts CROSS JOIN messages m "
    "ON m.room = ?1 AND m.seq = messages_fts.rowid - ?3 "
    "WHERE messages_fts MATCH ?2 AND messages_fts.rowid > ?3 AND messages_fts.rowid < ?4 "
    "AND m.deleted = 0 ORDER BY messages_fts.rowid DESC LIMIT ?5";
// Newest first so LIMIT keeps the newest; the caller reverses them.
constexpr std::string_view kTurnsSql =
    "SELECT role, content, at_ms FROM ai_turns WHERE conversation = ?1 "
    "ORDER BY turn DESC LIMIT ?2";
constexpr int64_t kNewest = std::numeric_limits<int64_t>::max();

}  // namespace

Result<SqliteReader> SqliteReader::Open(const StoreOptions& options) {
  SqliteReader r;
  Result<SqliteDb> db = SqliteDb::Open(options.path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  r.db_ = std::move(db).value();
  if (Status s = r.db_.SetBusyTimeout(options.busy_timeout_ms); !s.ok()) return s;
  if (Status s = r.db_.Exec("PRAGMA foreign_keys = ON"); !s.ok()) return s;
  const std::string columns = sqlite_rows::MessageColumns();
  const std::string page_desc = fmt::format(kPageDescSql, columns);
  const std::string page_asc = fmt::format(kPageAscSql, columns);
  const std::string search = fmt::format(kSearchSql, sqlite_rows::MessageColumns("m."));
  Status prepared = r.db_.PrepareAll({{&r.begin_, "BEGIN"},
                                      {&r.end_, "COMMIT"},
                                      {&r.max_seq_, kMaxSeqSql},
                                      {&r.page_desc_, page_desc},
                                      {&r.page_asc_, page_asc},
                                      {&r.reactions_, sqlite_rows::kReactionsSql},
                                      {&r.client_ids_, kClientIdsSql},
                                      {&r.markers_, kMarkersSql},
                                      {&r.room_id_, kRoomIdSql},
                                      {&r.search_, search},
                                      {&r.turns_, kTurnsSql}});
  if (!prepared.ok()) return prepared;
  return r;
}

template <typename T, typename Read>
Result<T> SqliteReader::InSnapshot(Read read) {
  T value{};
  int rc = begin_.Step();
  begin_.Reset();
  Status status = rc == SQLITE_DONE ? read(value) : db_.Error(rc, "begin read");
  if (status.ok()) {
    rc = end_.Step();
    end_.Reset();
    if (rc != SQLITE_DONE) status = db_.Error(rc, "end read");
  }
  if (status.ok()) return value;
  if (db_.in_transaction()) (void)db_.Exec("ROLLBACK");
  PARLEY_LOG_ERROR("store_read_failed path={} error=\"{}\"", db_.path(), status.message());
  return status;
}

Status SqliteReader::ReadRows(SqliteStmt& stmt, const std::string& room,
                              std::vector<StoredMessage>& out) {
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    sqlite_rows::ReadMessage(stmt, 0, room, out.emplace_back());
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, "read messages");
  stmt.Reset();
  return status;
}

Status SqliteReader::ReadPageDesc(const std::string& room, int64_t before, int limit,
                                  std::vector<StoredMessage>& out) {
  page_desc_.BindText(1, room);
  page_desc_.BindInt64(2, before);
  page_desc_.BindInt64(3, limit);
  return ReadRows(page_desc_, room, out);
}

Status SqliteReader::ReadPageAsc(const std::string& room, int64_t after, int64_t before, int limit,
                                 std::vector<StoredMessage>& out) {
  page_asc_.BindText(1, room);
  page_asc_.BindInt64(2, after);
  page_asc_.BindInt64(3, before);
  page_asc_.BindInt64(4, limit);
  return ReadRows(page_asc_, room, out);
}

Result<std::vector<StoredMessage>> SqliteReader::ReadHistory(const HistoryQuery& query) {
  const int64_t before = query.before_seq > 0 ? query.before_seq : kNewest;
  return InSnapshot<std::vector<StoredMessage>>([&](std::vector<StoredMessage>& messages) {
    Status s = query.after_seq > 0
                   ? ReadPageAsc(query.room, query.after_seq, before, query.limit, messages)
                   : ReadPageDesc(query.room, before, query.limit, messages);
    if (!s.ok()) return s;
    if (query.after_seq <= 0) std::reverse(messages.begin(), messages.end());
    return sqlite_rows::AttachReactions(db_, reactions_, query.room, messages);
  });
}

Status SqliteReader::ReadClientIds(const TailQuery& query, std::vector<ClientIdEntry>& out) {
  client_ids_.BindText(1, query.room);
  client_ids_.BindInt64(2, query.client_ids_since_ms);
  client_ids_.BindInt64(3, query.max_client_ids);
  int rc;
  while ((rc = client_ids_.Step()) == SQLITE_ROW) {
    out.push_back(ClientIdEntry{.username = client_ids_.ColumnText(0),
                                .client_id = client_ids_.ColumnText(1),
                                .id = client_ids_.ColumnText(2),
                                .seq = client_ids_.ColumnInt64(3),
                                .timestamp_ms = client_ids_.ColumnInt64(4)});
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, "read client ids");
  client_ids_.Reset();
  std::reverse(out.begin(), out.end());  // oldest first, as the room replays them
  return status;
}

Status SqliteReader::ReadMarkers(const TailQuery& query, std::vector<ReadMarker>& out) {
  markers_.BindText(1, query.room);
  markers_.BindInt64(2, query.max_read_markers);
  int rc;
  while ((rc = markers_.Step()) == SQLITE_ROW) {
    out.push_back(ReadMarker{.username = markers_.ColumnText(0), .seq = markers_.ColumnInt64(1)});
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, "read markers");
  markers_.Reset();
  return status;
}

Result<RoomTail> SqliteReader::LoadTail(const TailQuery& query) {
  return InSnapshot<RoomTail>([&](RoomTail& tail) {
    max_seq_.BindText(1, query.room);
    int rc = max_seq_.Step();
    if (rc == SQLITE_ROW) tail.last_seq = max_seq_.ColumnInt64(0);
    max_seq_.Reset();
    if (rc != SQLITE_ROW) return db_.Error(rc, "read last seq");
    if (tail.last_seq == 0) return Status::Ok();  // an unknown room has nothing else
    if (query.recent > 0) {
      if (Status s = ReadPageDesc(query.room, kNewest, query.recent, tail.recent); !s.ok()) {
        return s;
      }
      std::reverse(tail.recent.begin(), tail.recent.end());
      Status s = sqlite_rows::AttachReactions(db_, reactions_, query.room, tail.recent);
      if (!s.ok()) return s;
    }
    if (query.max_client_ids > 0) {
      if (Status s = ReadClientIds(query, tail.client_ids); !s.ok()) return s;
    }
    if (query.max_read_markers > 0) return ReadMarkers(query, tail.read_markers);
    return Status::Ok();
  });
}

Result<std::vector<StoredMessage>> SqliteReader::Search(const SearchQuery& query) {
  const std::string match = sqlite_rows::FtsMatchQuery(query.text);
  if (match.empty()) {
    return Status(ErrorCode::kInvalidField, "a search needs at least one word");
  }
  return InSnapshot<std::vector<StoredMessage>>(
      [&](std::vector<StoredMessage>& out) { return SearchInSnapshot(query, match, out); });
}

Status SqliteReader::SearchInSnapshot(const SearchQuery& query, const std::string& match,
                                      std::vector<StoredMessage>& out) {
  room_id_.BindText(1, query.room);
  int rc = room_id_.Step();
  const int64_t room_id = rc == SQLITE_ROW ? room_id_.ColumnInt64(0) : 0;
  room_id_.Reset();
  if (rc == SQLITE_DONE) return Status::Ok();  // a room that never had a message
  if (rc != SQLITE_ROW) return db_.Error(rc, "read room id");
  const int64_t before =
      query.before_seq > 0 ? std::min(query.before_seq, kMaxSeq + 1) : kMaxSeq + 1;
  search_.BindText(1, query.room);
  search_.BindText(2, match);
  search_.BindInt64(3, FtsRowid(room_id, 0));
  search_.BindInt64(4, FtsRowid(room_id, before));
  search_.BindInt64(5, query.limit);
  if (Status s = ReadRows(search_, query.room, out); !s.ok()) return s;
  return sqlite_rows::AttachReactions(db_, reactions_, query.room, out);
}

Result<std::vector<ConversationTurn>> SqliteReader::LoadConversation(
    const std::string& conversation, int max_turns) {
  return InSnapshot<std::vector<ConversationTurn>>([&](std::vector<ConversationTurn>& out) {
    turns_.BindText(1, conversation);
    turns_.BindInt64(2, max_turns);
    int rc;
    while ((rc = turns_.Step()) == SQLITE_ROW) {
      out.push_back(ConversationTurn{.role = turns_.ColumnText(0),
                                     .content = turns_.ColumnText(1),
                                     .at_ms = turns_.ColumnInt64(2)});
    }
    Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, "read conversation");
    turns_.Reset();
    std::reverse(out.begin(), out.end());
    return status;
  });
}

}  // namespace parley
