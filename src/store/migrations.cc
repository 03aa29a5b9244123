#include "store/migrations.h"

#include <fmt/format.h>

#include <array>

#include "base/log.h"

namespace parley {
namespace {

// Messages are keyed by (room, seq) and WITHOUT ROWID, so a room's history is one
// contiguous b-tree range: the tail and every history page are a single range scan,
// and a second message with the same (room, seq) is a constraint error, never a copy.
// No timestamp index yet: no query filters on time, and every index costs each insert;
// the migration that adds retention by age adds it.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE messages (
  room TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  message TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  client_id TEXT,
  PRIMARY KEY (room, seq)
) WITHOUT ROWID;
)sql";

constexpr std::array<std::string_view, 1> kMigrations = {kMigration1};

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";

Status ApplyOne(SqliteDb& db, int64_t version, std::string_view sql, int64_t now_ms) {
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status status = db.Exec(sql);
  if (status.ok()) {
    Result<SqliteStmt> record =
        db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
    if (!record.ok()) {
      status = record.status();
    } else {
      record->BindInt64(1, version);
      record->BindInt64(2, now_ms);
      int rc = record->Step();
      if (rc != SQLITE_DONE) status = db.Error(rc, "record migration");
    }
  }
  if (status.ok()) status = db.Exec("COMMIT");
  if (!status.ok()) {
    if (db.in_transaction()) (void)db.Exec("ROLLBACK");  // the original error is reported
    return Status(status.code(),
                  fmt::format("schema migration {} failed: {}", version, status.message()));
  }
  PARLEY_LOG_INFO("store_migrated path={} version={}", db.path(), version);
  return Status::Ok();
}

}  // namespace

std::span<const std::string_view> StoreMigrations() { return kMigrations; }

Result<int64_t> SchemaVersion(SqliteDb& db) {
  Result<SqliteStmt> exists = db.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists.ok()) return exists.status();
  int rc = exists->Step();
  if (rc != SQLITE_ROW) return db.Error(rc, "read schema version");
  if (exists->ColumnInt64(0) == 0) return int64_t{0};
  Result<SqliteStmt> max = db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  rc = max->Step();
  if (rc != SQLITE_ROW) return db.Error(rc, "read schema version");
  return max->ColumnInt64(0);
}

Status Migrate(SqliteDb& db, std::span<const std::string_view> migrations, int64_t now_ms) {
  if (Status s = db.Exec(kCreateMigrationsTable); !s.ok()) return s;
  Result<int64_t> current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  const auto known = static_cast<int64_t>(migrations.size());
  if (*current > known) {
    return Status(ErrorCode::kUnavailable,
                  fmt::format("database '{}' has schema version {}, newer than this parley "
                              "knows ({}); run a newer parley or restore a backup",
                              db.path(), *current, known));
  }
  for (int64_t version = *current + 1; version <= known; ++version) {
    Status s = ApplyOne(db, version, migrations[static_cast<size_t>(version - 1)], now_ms);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace parley
