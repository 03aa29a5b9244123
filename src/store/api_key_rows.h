// The api_keys table (migration 5): the SHA-256 digests of keys created with
// `parley keys create NAME`, and the client app each belongs to.
//
// Plain functions on a connection the caller owns and uses from one thread: the CLI's, or
// a short-lived read-only one at startup. Never called on a shard.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite_db.h"

namespace parley {

struct ApiKeyRow {
  std::string app{};
  std::string key_sha256{};  // 64 lower-case hex digits
  int64_t created_at_ms = 0;
};

// Opens the database at `path` (creating it) and applies every migration this binary knows.
Result<SqliteDb> OpenMigratedDb(const std::string& path, int64_t now_ms);

// kConflict when the digest is already stored.
Status InsertApiKey(SqliteDb& db, const ApiKeyRow& row);

// Every stored key, oldest first.
Result<std::vector<ApiKeyRow>> LoadApiKeys(SqliteDb& db);

}  // namespace parley
