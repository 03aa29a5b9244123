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

// Edits, tombstones, reactions, read markers and full-text search.
//
// rooms gives each room a small integer so that a message's search-index rowid can be
// (room id << 36) | seq (see sqlite_rows.h): one room's matches are then one rowid range,
// which FTS5 scans newest first without visiting other rooms' matches.
// messages_fts is a regular FTS5 table the writer keeps in step with messages (insert,
// edit, delete in the same transaction). An external-content table cannot point at
// messages (WITHOUT ROWID, no integer key), and a contentless one needs the old text to
// delete a row, which a mistake would turn into a silently corrupt index. columnsize=0:
// results are ordered by seq, never ranked, so per-row token counts are not kept.
// reactions.ord keeps the order people reacted in, independent of clocks.
// messages_room_time serves the room's dedupe window (client ids since a time).
constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE messages ADD COLUMN reply_to TEXT;
ALTER TABLE messages ADD COLUMN image_url TEXT;
ALTER TABLE messages ADD COLUMN edited_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_room_time ON messages (room, timestamp);
CREATE TABLE rooms (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE reactions (
  room TEXT NOT NULL,
  seq INTEGER NOT NULL,
  emoji TEXT NOT NULL,
  username TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  PRIMARY KEY (room, seq, emoji, username)
) WITHOUT ROWID;
CREATE TABLE read_markers (
  room TEXT NOT NULL,
  username TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (room, username)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  text, columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO rooms (name) SELECT DISTINCT room FROM messages ORDER BY room;
INSERT INTO messages_fts (rowid, text)
  SELECT (r.id << 36) | m.seq, m.message FROM messages m JOIN rooms r ON r.name = m.room;
)sql";

// AI assistant conversations (ai.max_turns bounds each one): messages keyed by
// (conversation, turn), turn counting up from 1, so a conversation is one b-tree range and
// trimming to the newest N is one range delete.
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE ai_turns (
  conversation TEXT NOT NULL,
  turn INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (conversation, turn)
) WITHOUT ROWID;
)sql";

// Visitor analytics (src/visitor): every visitor id each domain has seen, with its first and
// last visit, so the distinct-visitor total and today's visitors survive a restart. Current
// visitors are not stored (they heart-beat again). WITHOUT ROWID and keyed by (domain,
// visitor_id): a domain's rows are one range; the index serves "seen since midnight".
constexpr std::string_view kMigration4 = R"sql(
CREATE TABLE visitors (
  domain TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL,
  PRIMARY KEY (domain, visitor_id)
) WITHOUT ROWID;
CREATE INDEX visitors_domain_last ON visitors (domain, last_ms);
)sql";

// API keys created with `parley keys create NAME`: only the SHA-256 of a key is kept, so
// the database cannot give a key back; the key itself is printed once, when created.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE api_keys (
  key_sha256 TEXT PRIMARY KEY,
  app TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Built-in accounts (seed 002's users table, with parley's usernames) and their sessions.
// A password is kept only as its argon2id string and a session only as the SHA-256 of its
// token. Usernames are unique regardless of ASCII letter case, so "Ann" cannot pose as "ann".
constexpr std::string_view kMigration6 = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  avatar_url TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
)sql";

constexpr std::array<std::string_view, 6> kMigrations = {kMigration1, kMigration2, kMigration3,
                                                         kMigration4, kMigration5, kMigration6};

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
