// SqliteWriter's mutations: edits, tombstones, reactions and read markers. Each runs inside
// the writer's batch transaction; it checks everything that can refuse it before its first
// write, so a refused mutation leaves nothing behind.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "store/sqlite_rows.h"
#include "store/sqlite_writer.h"

namespace parley {
namespace {

// The room is part of the lookup: a message id from another room is not found.
constexpr std::string_view kFindSql =
    "SELECT seq, username, deleted FROM messages WHERE id = ?1 AND room = ?2";
constexpr std::string_view kEditSql =
    "UPDATE messages SET message = ?3, edited_ms = ?4 WHERE room = ?1 AND seq = ?2";
constexpr std::string_view kFtsUpdateSql = "UPDATE messages_fts SET text = ?2 WHERE rowid = ?1";
constexpr std::string_view kTombstoneSql =
    "UPDATE messages SET deleted = 1, message = '', image_url = '' WHERE room = ?1 AND seq = ?2";
constexpr std::string_view kFtsDeleteSql = "DELETE FROM messages_fts WHERE rowid = ?1";
constexpr std::string_view kDropReactionsSql = "DELETE FROM reactions WHERE room = ?1 AND seq = ?2";
constexpr std::string_view kUnreactSql =
    "DELETE FROM reactions WHERE room = ?1 AND seq = ?2 AND emoji = ?3 AND username = ?4";
// ord numbers one message's reactions in the order they were made; the max is read from the
// message's own few rows.
constexpr std::string_view kReactSql =
    "INSERT INTO reactions (room, seq, emoji, username, at_ms, ord) VALUES (?1, ?2, ?3, ?4, ?5, "
    "(SELECT coalesce(max(ord), 0) + 1 FROM reactions WHERE room = ?1 AND seq = ?2))";
constexpr std::string_view kMarkReadSql =
    "INSERT INTO read_markers (room, username, seq) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (room, username) DO UPDATE SET seq = max(seq, excluded.seq) RETURNING seq";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status NotFound(const Mutation& m) {
  return Status(ErrorCode::kNotFound,
                fmt::format("message '{}' not found in room '{}'", m.message_id, m.room));
}

}  // namespace

Status SqliteWriter::PrepareMutations() {
  const std::string read_one = fmt::format("SELECT {} FROM messages WHERE room = ?1 AND seq = ?2",
                                           sqlite_rows::MessageColumns());
  return db_.PrepareAll({{&find_, kFindSql},
                         {&read_one_, read_one},
                         {&reactions_, sqlite_rows::kReactionsSql},
                         {&edit_, kEditSql},
                         {&fts_update_, kFtsUpdateSql},
                         {&tombstone_, kTombstoneSql},
                         {&fts_delete_, kFtsDeleteSql},
                         {&drop_reactions_, kDropReactionsSql},
                         {&unreact_, kUnreactSql},
                         {&react_, kReactSql},
                         {&mark_read_, kMarkReadSql}});
}

Status SqliteWriter::Apply(const Mutation& m, MutationResult& out) {
  switch (m.kind) {
    case Mutation::Kind::kEdit:
      return Edit(m, out);
    case Mutation::Kind::kDelete:
      return Delete(m, out);
    case Mutation::Kind::kToggleReaction:
      return ToggleReaction(m, out);
    case Mutation::Kind::kReadMarker:
      return MarkRead(m, out);
  }
  return Status(ErrorCode::kInvalidField, "unknown mutation kind");
}

Status SqliteWriter::FindTarget(const Mutation& m, Target& target) {
  find_.BindText(1, m.message_id);
  find_.BindText(2, m.room);
  int rc = find_.Step();
  if (rc == SQLITE_ROW) {
    target.seq = find_.ColumnInt64(0);
    target.username = find_.ColumnText(1);
    target.deleted = find_.ColumnInt64(2) != 0;
  }
  find_.Reset();
  if (rc == SQLITE_DONE) return NotFound(m);
  if (rc != SQLITE_ROW) return db_.Error(rc, "find message");
  return Status::Ok();
}

Status SqliteWriter::ReadBack(const std::string& room, int64_t seq, StoredMessage& out) {
  read_one_.BindText(1, room);
  read_one_.BindInt64(2, seq);
  std::vector<StoredMessage> one(1);
  int rc = read_one_.Step();
  if (rc == SQLITE_ROW) sqlite_rows::ReadMessage(read_one_, 0, room, one[0]);
  read_one_.Reset();
  if (rc != SQLITE_ROW) return db_.Error(rc, "read message back");
  if (Status s = sqlite_rows::AttachReactions(db_, reactions_, room, one); !s.ok()) return s;
  out = std::move(one[0]);
  return Status::Ok();
}

Status SqliteWriter::Edit(const Mutation& m, MutationResult& out) {
  Target target;
  if (Status s = FindTarget(m, target); !s.ok()) return s;
  if (target.deleted) return NotFound(m);
  if (target.username != m.username) {
    return Status(ErrorCode::kForbidden, "only the author of a message can edit it");
  }
  Result<RoomState*> room = Room(m.room, /*create=*/false);
  if (!room.ok()) return room.status();
  edit_.BindText(1, m.room);
  edit_.BindInt64(2, target.seq);
  edit_.BindText(3, m.text);
  edit_.BindInt64(4, m.at_ms > 0 ? m.at_ms : NowMs());  // 0 would read as "never edited"
  if (Status s = Run(edit_, "edit message"); !s.ok()) return s;
  fts_update_.BindInt64(1, sqlite_rows::FtsRowid((*room)->id, target.seq));
  fts_update_.BindText(2, m.text);
  if (Status s = Run(fts_update_, "reindex message"); !s.ok()) return s;
  return ReadBack(m.room, target.seq, out.message);
}

Status SqliteWriter::Delete(const Mutation& m, MutationResult& out) {
  Target target;
  if (Status s = FindTarget(m, target); !s.ok()) return s;
  if (target.username != m.username) {
    return Status(ErrorCode::kForbidden, "only the author of a message can delete it");
  }
  // A retried delete finds the tombstone and answers with it.
  if (target.deleted) return ReadBack(m.room, target.seq, out.message);
  Result<RoomState*> room = Room(m.room, /*create=*/false);
  if (!room.ok()) return room.status();
  for (SqliteStmt* stmt : {&tombstone_, &drop_reactions_}) {
    stmt->BindText(1, m.room);
    stmt->BindInt64(2, target.seq);
    if (Status s = Run(*stmt, "delete message"); !s.ok()) return s;
  }
  fts_delete_.BindInt64(1, sqlite_rows::FtsRowid((*room)->id, target.seq));
  if (Status s = Run(fts_delete_, "unindex message"); !s.ok()) return s;
  return ReadBack(m.room, target.seq, out.message);
}

Status SqliteWriter::ToggleReaction(const Mutation& m, MutationResult& out) {
  Target target;
  if (Status s = FindTarget(m, target); !s.ok()) return s;
  if (target.deleted) return NotFound(m);
  unreact_.BindText(1, m.room);
  unreact_.BindInt64(2, target.seq);
  unreact_.BindText(3, m.text);
  unreact_.BindText(4, m.username);
  if (Status s = Run(unreact_, "remove reaction"); !s.ok()) return s;
  out.added = sqlite3_changes(db_.get()) == 0;
  if (out.added) {
    react_.BindText(1, m.room);
    react_.BindInt64(2, target.seq);
    react_.BindText(3, m.text);
    react_.BindText(4, m.username);
    react_.BindInt64(5, m.at_ms > 0 ? m.at_ms : NowMs());
    if (Status s = Run(react_, "add reaction"); !s.ok()) return s;
  }
  return ReadBack(m.room, target.seq, out.message);
}

Status SqliteWriter::MarkRead(const Mutation& m, MutationResult& out) {
  Result<RoomState*> room = Room(m.room, /*create=*/false);
  if (!room.ok()) return room.status();
  // A client may claim to have read past the end (a stale or forged seq): the marker says
  // at most what the room holds.
  const int64_t seq = std::clamp<int64_t>(m.seq, 0, (*room)->last_seq);
  mark_read_.BindText(1, m.room);
  mark_read_.BindText(2, m.username);
  mark_read_.BindInt64(3, seq);
  int rc = mark_read_.Step();
  if (rc == SQLITE_ROW) {
    out.read_seq = mark_read_.ColumnInt64(0);
    rc = mark_read_.Step();  // RETURNING hands back the row before the statement finishes
  }
  mark_read_.Reset();
  if (rc != SQLITE_DONE) return db_.Error(rc, "store read marker");
  return Status::Ok();
}

}  // namespace parley
