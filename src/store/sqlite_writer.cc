#include "store/sqlite_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "base/log.h"
#include "store/migrations.h"

namespace parley {
namespace {

constexpr std::string_view kInsertSql =
    "INSERT INTO messages (room, seq, id, username, message, timestamp, client_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<SqliteWriter> SqliteWriter::Open(const StoreOptions& options) {
  SqliteWriter w;
  w.fail_commit_after_ = options.fail_commit_after;
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
  Status prepared = w.db_.PrepareAll({{&w.begin_, "BEGIN IMMEDIATE"},
                                      {&w.insert_, kInsertSql},
                                      {&w.commit_, "COMMIT"},
                                      {&w.rollback_, "ROLLBACK"}});
  if (!prepared.ok()) return prepared;
  return w;
}

Status SqliteWriter::Run(SqliteStmt& stmt, std::string_view what) {
  int rc = stmt.Step();
  Status status = rc == SQLITE_DONE ? Status::Ok() : db_.Error(rc, what);
  stmt.Reset();
  return status;
}

Status SqliteWriter::InsertOne(const StoredMessage& m, bool* constraint) {
  insert_.BindText(1, m.room);
  insert_.BindInt64(2, m.seq);
  insert_.BindText(3, m.id);
  insert_.BindText(4, m.username);
  insert_.BindText(5, m.text);
  insert_.BindInt64(6, m.timestamp_ms);
  if (m.client_id.empty()) {
    insert_.BindNull(7);
  } else {
    insert_.BindText(7, m.client_id);
  }
  int rc = insert_.Step();
  *constraint = (rc & 0xff) == SQLITE_CONSTRAINT;
  Status status;
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    status = Status(ErrorCode::kInternal,
                    fmt::format("message seq {} of room '{}' is already stored", m.seq, m.room));
  } else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    status = Status(ErrorCode::kInternal, fmt::format("message id '{}' is already stored", m.id));
  } else if (rc != SQLITE_DONE) {
    status = db_.Error(rc, "insert message");
  }
  insert_.Reset();
  return status;
}

void SqliteWriter::Write(std::span<const StoredMessage> batch, std::vector<Status>& results) {
  results.assign(batch.size(), Status::Ok());
  Status failure = Run(begin_, "begin transaction");
  for (size_t i = 0; failure.ok() && i < batch.size(); ++i) {
    bool constraint = false;
    Status s = InsertOne(batch[i], &constraint);
    if (s.ok()) continue;
    if (constraint) {
      // SQLite undid only the failed INSERT; the transaction and the batch go on, so one
      // room's bad append does not fail the other rooms' messages that share its batch.
      PARLEY_LOG_ERROR("store_append_rejected room={} seq={} error=\"{}\"", batch[i].room,
                       batch[i].seq, s.message());
      results[i] = std::move(s);
    } else {
      failure = std::move(s);
    }
  }
  if (failure.ok()) {
    if (fail_commit_after_ >= 0 && commits_ >= fail_commit_after_) {
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
  // already rolled it back. Either way nothing of this batch is stored.
  if (db_.in_transaction()) (void)Run(rollback_, "rollback");
  PARLEY_LOG_ERROR("store_batch_failed path={} appends={} error=\"{}\"", db_.path(), batch.size(),
                   failure.message());
  std::fill(results.begin(), results.end(), failure);
}

}  // namespace parley
