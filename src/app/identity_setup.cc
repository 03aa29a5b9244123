#include "app/identity_setup.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "app/config_loader.h"
#include "base/log.h"
#include "store/api_key_rows.h"
#include "store/sqlite_db.h"
#include "store/store_options.h"

namespace parley {
namespace {

Status ConfigError(std::string message) {
  return Status(ErrorCode::kBadRequest, std::move(message));
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ConfigError("config: auth.jwt_rs256_public_key_file = \"" + path +
                       "\": cannot read the file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The keys `parley keys create` stored. A database that does not exist yet has none.
Status AddStoredKeys(const std::string& db_path, auth::ApiKeyRing& ring) {
  auto db = SqliteDb::Open(db_path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  auto rows = LoadApiKeys(*db);
  if (!rows.ok()) return rows.status();
  for (const ApiKeyRow& row : *rows) {
    auto digest = auth::FromHex(row.key_sha256);
    if (!digest) return Status(ErrorCode::kInternal, "store: api_keys holds a malformed digest");
    ring.AddDigest(row.app, *digest);
  }
  return Status::Ok();
}

int Usage() {
  std::fputs("usage: parley keys create NAME [--data-dir DIR] [--config FILE]\n", stderr);
  return 2;
}

}  // namespace

Result<std::unique_ptr<auth::Authenticator>> BuildAuthenticator(const Config& config,
                                                                const std::string& db_path,
                                                                const Clock& clock) {
  const AuthConfig& a = config.auth;
  auth::ApiKeyRing keys;
  keys.AddPlain("web", a.web_api_key);
  keys.AddPlain("mobile", a.mobile_api_key);
  if (Status st = keys.AddList(a.api_keys); !st.ok()) return st;
  if (Status st = AddStoredKeys(db_path, keys); !st.ok()) return st;

  auth::JwtOptions jwt;
  jwt.hs256_secret = a.jwt_hs256_secret;
  if (!a.jwt_rs256_public_key_file.empty()) {
    auto pem = ReadFile(a.jwt_rs256_public_key_file);
    if (!pem.ok()) return pem.status();
    jwt.rs256_public_key_pem = std::move(pem).value();
  }
  jwt.leeway_s = a.jwt_leeway_s;
  jwt.limits.max_token_bytes = static_cast<size_t>(a.max_token_bytes);
  jwt.limits.max_rooms = static_cast<size_t>(a.max_token_rooms);
  // Ids and names past the username limit could never be used as one.
  jwt.limits.max_field_bytes = static_cast<size_t>(config.limits.max_username_chars) * 4;
  auto verifier = auth::JwtVerifier::Create(std::move(jwt));
  if (!verifier.ok()) return verifier.status();

  auto rooms = auth::RoomAccess::Parse(a.private_rooms);
  if (!rooms.ok()) return rooms.status();
  return std::make_unique<auth::Authenticator>(std::move(keys), std::move(verifier).value(),
                                               std::move(rooms).value(), a.require_api_key == "yes",
                                               clock);
}

bool IsKeysCommand(int argc, char** argv) {
  return argc >= 2 && std::string_view(argv[1]) == "keys";
}

int RunKeysCommand(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[2]) != "create") return Usage();
  const std::string app = argv[3];
  if (!auth::ValidAppName(app)) {
    std::fprintf(stderr, "keys: NAME must be 1 to 32 of a-z, 0-9, '-', '_'\n");
    return 2;
  }
  // The remaining flags are the server's own (--data-dir, --config ...).
  std::vector<char*> rest = {argv[0]};
  for (int i = 4; i < argc; ++i) rest.push_back(argv[i]);
  auto loaded = LoadConfig(static_cast<int>(rest.size()), rest.data(), ProcessEnviron());
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
    return 2;
  }
  if (loaded->action != ConfigAction::kRun) return Usage();
  const Config& config = loaded->config;
  // stdout carries only the key: the store's info lines would bury it.
  (void)InitLogging("warn");
  const StoreOptions store = StoreOptions::FromConfig(config.store, config.server.data_dir);
  const int64_t now_ms = SystemClock().NowMs();
  std::error_code ec;
  std::filesystem::create_directories(config.server.data_dir, ec);  // Open reports failure
  auto db = OpenMigratedDb(store.path, now_ms);
  if (!db.ok()) {
    std::fprintf(stderr, "keys: %s\n", db.status().message().c_str());
    return 1;
  }
  const std::string key = auth::NewApiKey();
  Status st = InsertApiKey(
      *db,
      ApiKeyRow{.app = app, .key_sha256 = auth::ToHex(auth::Sha256(key)), .created_at_ms = now_ms});
  if (!st.ok()) {
    std::fprintf(stderr, "keys: %s\n", st.message().c_str());
    return 1;
  }
  std::printf("%s\n", key.c_str());
  std::fprintf(stderr,
               "keys: created a key for app \"%s\"; it is shown only now. A running parley "
               "accepts it after its next start.\n",
               app.c_str());
  return 0;
}

}  // namespace parley
