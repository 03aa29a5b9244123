// The store's schema, as an ordered list of migrations, and the code that applies them.
//
// Migration N (1-based) is kMigrations[N-1]. Each runs in its own transaction together
// with the row that records it in schema_migrations(version, applied_at), so a crash
// leaves the schema at a whole version. Never edit a shipped migration: append a new one.
// Runs on the thread that owns the connection (SqliteStore::Open).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "store/sqlite_db.h"

namespace parley {

// The migrations this binary knows, oldest first.
std::span<const std::string_view> StoreMigrations();

// Brings `db` up to `migrations.size()`, applying each missing migration in order.
// Fails without changes if the database records a version newer than the list
// (a newer parley wrote it). `now_ms` is stored as applied_at.
Status Migrate(SqliteDb& db, std::span<const std::string_view> migrations, int64_t now_ms);

// The highest version recorded in schema_migrations; 0 for a database without one.
Result<int64_t> SchemaVersion(SqliteDb& db);

}  // namespace parley
