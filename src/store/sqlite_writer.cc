#include "store/sqlite_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "base/log.h"
#include "store/migrations.h"
#include "store/sqlite_rows.h"

namespace parley {
namespace {

constexpr std::string_view kInsertSql =
    "INSERT INTO messages (room, seq, id, username, message, timestamp, client_id, reply_to, "
    "image_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// A room seen for the first time by a process is looked up once; after that the writer
// knows its last seq, so the gap check costs no query per append.
constexpr std::string_view kRoomIdSql = "SELECT id FROM rooms WHERE name = ?1";
constexpr std::string_view kRoomInsertSql = "INSERT INTO rooms (name) VALUES (?1)";
constexpr std::string_view kMaxSeqSql =
    "SELECT coalesce(max(seq), 0) FROM messages WHERE room = ?1";
constexpr std::string_view kFtsInsertSql = "INSERT INTO messages_fts (rowid, text) VALUES (?1, ?2)";

// Rooms whose state the writer keeps; past this the cache starts over, which costs one
// lookup per room on its next write.
constexpr size_t kMaxCachedRooms = 65536;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Failures that concern one operation only; anything else is the database's and fails the
// batch.
bool FailsAlone(const Status& s) {
  switch (s.code()) {
    case ErrorCode::kConflict:
    case ErrorCode::kNotFound:
    case ErrorCode::kForbidden:
    case ErrorCode::kInvalidField:
      return true;
    default:
      return false;
  }
}

void BindOptionalText(SqliteStmt& stmt, int index, const std::string& value) {
  if (value.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.BindText(index, value);
  }
}

}  // namespace

Result<SqliteWriter> SqliteWriter::Open(const StoreOptions& options) {
  SqliteWriter w;
  w.fail_commit_after_ = options.fail_commit_after;
  w.fail_commits_ = options.fail_commits;
  Result<SqliteDb> db = SqliteDb::Open(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();
  w.db_ = std::move(db).value();
  if (Status s = w.db_.SetBusyTimeout(options.busy_timeout_ms); !s.ok()) return s;
  if (Status s = w.db_.Exec("PRAGMA foreign_keys = ON"); !s.ok()) return s;
  // WAL is a property of the file: once set here, the readers' connections use it too.
  // It is what lets them read while a batch commits.
  Result<std::string> mode = w.db_.QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") {
    return Status(ErrorCode::kUnavailable,
                  fmt::format("database '{}' cannot use WAL mode (journal_mode is '{}')",
                              options.path, *mode));
  }
  if (Status s = w.db_.Exec(options.synchronous == "normal" ? "PRAGMA synchronous = NORMAL"
                                                            : "PRAGMA synchronous = FULL");
      !s.ok()) {
    return s;
  }
  // Inserts land on the leaf page of their room, so a batch touches about one page per
  // room: a cache that holds the hot pages (64 MiB) saves a read per insert, and the WAL
  // is checkpointed in larger steps.
  if (Status s = w.db_.Exec("PRAGMA cache_size = -65536"); !s.ok()) return s;
  if (Status s = Migrate(w.db_, StoreMigrations(), NowMs()); !s.ok()) return s;
  if (Status s = w.PrepareStatements(); !s.ok()) return s;
  return w;
}

Status SqliteWriter::PrepareStatements() {
  Status s = db_.PrepareAll({{&begin_, "BEGIN IMMEDIATE"},
                             {&commit_, "COMMIT"},
                             {&rollback_, "ROLLBACK"},
                             {&insert_, kInsertSql},
                             {&fts_insert_, kFtsInsertSql},
                             {&room_id_, kRoomIdSql},
                             {&room_insert_, kRoomInsertSql},
                             {&max_seq_, kMaxSeqSql}});
  if (!s.ok()) return s;
  if (s = PrepareConversations(); !s.ok()) return s;
  return PrepareMutations();
}

Status SqliteWriter::Run(SqliteStmt& stmt, std::string_view what) {
  int rc = stmt.Step();
  Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, what);
  stmt.Reset();
  return status;
}

Result<SqliteWriter::RoomState*> SqliteWriter::Room(const std::string& room, bool create) {
  auto [it, fresh] = rooms_.try_emplace(room);
  RoomState& state = it->second;
  if (fresh) {
    room_id_.BindText(1, room);
    int rc = room_id_.Step();
    if (rc == SQLITE_ROW) state.id = room_id_.ColumnInt64(0);
    room_id_.Reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      rooms_.erase(it);
      return db_.Error(rc, "read room id");
    }
    max_seq_.BindText(1, room);
    rc = max_seq_.Step();
    if (rc == SQLITE_ROW) state.last_seq = max_seq_.ColumnInt64(0);
    max_seq_.Reset();
    if (rc != SQLITE_ROW) {
      rooms_.erase(it);
      return db_.Error(rc, "read last seq");
    }
  }
  if (create && state.id == 0) {
    room_insert_.BindText(1, room);
    if (Status s = Run(room_insert_, "insert room"); !s.ok()) return s;
    state.id = sqlite3_last_insert_rowid(db_.get());
    if (state.id > sqlite_rows::kMaxRoomId) {
      return Status(
          ErrorCode::kUnavailable,
          fmt::format("database '{}' has no room id left for room '{}'", db_.path(), room));
    }
  }
  return &state;
}

Status SqliteWriter::Append(const StoredMessage& m) {
  Result<RoomState*> room = Room(m.room, /*create=*/true);
  if (!room.ok()) return room.status();
  RoomState& state = **room;
  if (m.seq != state.last_seq + 1) {
    return Status(ErrorCode::kConflict,
                  m.seq <= state.last_seq
                      ? fmt::format("message seq {} of room '{}' is already stored", m.seq, m.room)
                      : fmt::format("message seq {} of room '{}' would leave a gap after seq {}",
                                    m.seq, m.room, state.last_seq));
  }
  if (m.seq > sqlite_rows::kMaxSeq) {
    return Status(ErrorCode::kInvalidField,
                  fmt::format("message seq {} of room '{}' is too large", m.seq, m.room));
  }
  if (Status s = InsertMessage(m, state.id); !s.ok()) return s;
  state.last_seq = m.seq;
  return Status::Ok();
}

Status SqliteWriter::InsertMessage(const StoredMessage& m, int64_t room_id) {
  insert_.BindText(1, m.room);
  insert_.BindInt64(2, m.seq);
  insert_.BindText(3, m.id);
  insert_.BindText(4, m.username);
  insert_.BindText(5, m.text);
  insert_.BindInt64(6, m.timestamp_ms);
  BindOptionalText(insert_, 7, m.client_id);
  BindOptionalText(insert_, 8, m.reply_to);
  BindOptionalText(insert_, 9, m.image_url);
  int rc = insert_.Step();
  Status status;
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    status = Status(ErrorCode::kConflict,
                    fmt::format("message seq {} of room '{}' is already stored", m.seq, m.room));
  } else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    status = Status(ErrorCode::kConflict, fmt::format("message id '{}' is already stored", m.id));
  } else if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    status = db_.Error(rc, "insert message");
    status = Status(ErrorCode::kInvalidField, status.message());
  } else if (rc != SQLITE_DONE) {
    status = db_.Error(rc, "insert message");
  }
  insert_.Reset();
  if (!status.ok()) return status;
  // SQLite undid only the failed INSERT above; from here on a failure is the database's.
  // TODO(perf): with many rooms each message dirties a different (room, seq) leaf, which
  // dominates the writer's cost (docs/performance.md, "Durable messages"); measure a table
  // in arrival order (rowid key + (room, seq) index), then move this index insert to a
  // catch-up transaction off the acknowledgement path (about a fifth of the cost).
  fts_insert_.BindInt64(1, sqlite_rows::FtsRowid(room_id, m.seq));
  fts_insert_.BindText(2, m.text);
  return Run(fts_insert_, "index message");
}

void SqliteWriter::Write(std::span<const WriteOp> batch, std::vector<Status>& statuses,
                         std::vector<MutationResult>& mutated) {
  statuses.assign(batch.size(), Status::Ok());
  mutated.assign(batch.size(), MutationResult{});
  if (rooms_.size() > kMaxCachedRooms) rooms_.clear();
  Status failure = Run(begin_, "begin transaction");
  for (size_t i = 0; failure.ok() && i < batch.size(); ++i) {
    const auto* append = std::get_if<StoredMessage>(&batch[i]);
    const auto* turns = std::get_if<ConversationAppend>(&batch[i]);
    Status s = append != nullptr  ? Append(*append)
               : turns != nullptr ? AppendConversation(*turns)
                                  : Apply(std::get<Mutation>(batch[i]), mutated[i]);
    if (s.ok()) continue;
    if (FailsAlone(s)) {
      // Only this operation is refused; the transaction and the batch go on, so one
      // room's bad request does not fail the other rooms' messages that share its batch.
      if (append != nullptr) {
        PARLEY_LOG_WARN("store_append_rejected room={} seq={} error=\"{}\"", append->room,
                        append->seq, s.message());
      }
      statuses[i] = std::move(s);
    } else {
      failure = std::move(s);
    }
  }
  if (failure.ok()) {
    if (fail_commit_after_ >= 0 && commits_ >= fail_commit_after_ &&
        (fail_commits_ < 0 || failed_commits_ < fail_commits_)) {
      ++failed_commits_;
      failure = Status(ErrorCode::kUnavailable,
                       fmt::format("commit on '{}': injected failure", db_.path()));
    } else {
      failure = Run(commit_, "commit");
    }
  }
  if (failure.ok()) {
    ++commits_;
    return;
  }
  // A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open, while some errors have
  // already rolled it back. Either way nothing of this batch is stored, and what the room
  // cache learned during it is forgotten.
  if (db_.in_transaction()) (void)Run(rollback_, "rollback");
  rooms_.clear();
  PARLEY_LOG_ERROR("store_batch_failed path={} operations={} error=\"{}\"", db_.path(),
                   batch.size(), failure.message());
  std::fill(statuses.begin(), statuses.end(), failure);
  std::fill(mutated.begin(), mutated.end(), MutationResult{});
}

}  // namespace parley
