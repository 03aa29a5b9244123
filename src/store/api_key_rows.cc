#include "store/api_key_rows.h"

#include "store/migrations.h"

namespace parley {

Result<SqliteDb> OpenMigratedDb(const std::string& path, int64_t now_ms) {
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.status();
  // A running server may hold the write lock for a commit; wait for it.
  if (Status st = db->SetBusyTimeout(5000); !st.ok()) return st;
  if (Status st = Migrate(*db, StoreMigrations(), now_ms); !st.ok()) return st;
  return db;
}

Status InsertApiKey(SqliteDb& db, const ApiKeyRow& row) {
  auto stmt = db.Prepare("INSERT INTO api_keys (key_sha256, app, created_at) VALUES (?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, row.key_sha256);
  stmt->BindText(2, row.app);
  stmt->BindInt64(3, row.created_at_ms);
  const int rc = stmt->Step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status(ErrorCode::kConflict, "This key is already stored.");
  }
  if (rc != SQLITE_DONE) return db.Error(rc, "insert api key");
  return Status::Ok();
}

Result<std::vector<ApiKeyRow>> LoadApiKeys(SqliteDb& db) {
  auto stmt = db.Prepare("SELECT app, key_sha256, created_at FROM api_keys ORDER BY created_at");
  if (!stmt.ok()) return stmt.status();
  std::vector<ApiKeyRow> rows;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    rows.push_back(ApiKeyRow{.app = stmt->ColumnText(0),
                             .key_sha256 = stmt->ColumnText(1),
                             .created_at_ms = stmt->ColumnInt64(2)});
  }
  if (rc != SQLITE_DONE) return db.Error(rc, "load api keys");
  return rows;
}

}  // namespace parley
