#include "auth/accounts.h"

#include <sodium.h>

#include "auth/api_keys.h"
#include "base/log.h"
#include "store/account_rows.h"
#include "store/api_key_rows.h"

namespace parley::auth {
namespace {

// 128 random bits as 32 hex digits: an account id that says nothing about the account.
std::string NewAccountId() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

AccountProfile ProfileOf(const UserRow& u) {
  return AccountProfile{.id = u.id,
                        .username = u.username,
                        .display_name = u.display_name,
                        .avatar_url = u.avatar_url,
                        .created_at_ms = u.created_at_ms};
}

Status Unavailable() {
  return Status(ErrorCode::kUnavailable, "Accounts are unavailable right now; try again.");
}

}  // namespace

Result<std::unique_ptr<Accounts>> Accounts::Open(const std::string& db_path,
                                                 const AccountOptions& options,
                                                 SessionTable& sessions, const Clock& clock) {
  if (!InitSodium()) return Status(ErrorCode::kInternal, "accounts: libsodium cannot start");
  const int64_t now = clock.NowMs();
  auto db = OpenMigratedDb(db_path, now);
  if (!db.ok()) return db.status();
  if (Status st = DeleteExpiredSessions(*db, now); !st.ok()) return st;
  auto live = LoadLiveSessions(*db, now);
  if (!live.ok()) return live.status();
  for (const LiveSession& s : *live) {
    auto digest = FromHex(s.session.token_sha256);
    if (!digest) return Status(ErrorCode::kInternal, "store: sessions holds a malformed digest");
    // Past max_sessions the newest rows are not loaded: those users sign in again.
    if (!sessions.Insert(*digest, ProfileOf(s.user), s.session.expires_at_ms, now)) break;
  }
  const std::string random = NewSessionToken();
  auto dummy = HashPassword(random, options.cost);
  if (!dummy.ok()) return dummy.status();
  PARLEY_LOG_INFO("accounts_loaded sessions={}", sessions.size());
  return std::unique_ptr<Accounts>(
      new Accounts(std::move(db).value(), options, sessions, clock, std::move(dummy).value()));
}

Result<SignedIn> Accounts::StartSession(const AccountProfile& profile) {
  const int64_t now = clock_.NowMs();
  // Expired rows would only be skipped at the next start; an index makes this cheap.
  if (Status st = DeleteExpiredSessions(db_, now); !st.ok()) {
    PARLEY_LOG_WARN("accounts_expire_failed error={}", st.message());
  }
  SignedIn out{.token = NewSessionToken(),
               .expires_at_ms = now + options_.session_ttl_ms,
               .profile = profile};
  const Sha256Digest digest = Sha256(out.token);
  // The row first: a session in memory always has a row, so a restart keeps it.
  Status st = InsertSession(db_, SessionRow{.token_sha256 = ToHex(digest),
                                            .user_id = profile.id,
                                            .created_at_ms = now,
                                            .expires_at_ms = out.expires_at_ms});
  if (!st.ok()) {
    PARLEY_LOG_ERROR("accounts_session_insert_failed error={}", st.message());
    return Unavailable();
  }
  if (!sessions_.Insert(digest, profile, out.expires_at_ms, now)) {
    (void)DeleteSession(db_, ToHex(digest));  // no row without its session
    PARLEY_LOG_WARN("accounts_sessions_full live={}", sessions_.size());
    return Status(ErrorCode::kUnavailable,
                  "Too many people are signed in right now; try again later.");
  }
  return out;
}

Result<SignedIn> Accounts::Register(const std::string& username, const std::string& password,
                                    const std::string& display_name,
                                    const std::string& avatar_url) {
  auto hash = HashPassword(password, options_.cost);
  if (!hash.ok()) {
    PARLEY_LOG_ERROR("accounts_hash_failed error={}", hash.status().message());
    return Unavailable();
  }
  UserRow row{.id = NewAccountId(),
              .username = username,
              .password_hash = std::move(hash).value(),
              .display_name = display_name,
              .avatar_url = avatar_url,
              .created_at_ms = clock_.NowMs()};
  if (Status st = InsertUser(db_, row); !st.ok()) {
    if (st.code() == ErrorCode::kUsernameTaken) return st;
    PARLEY_LOG_ERROR("accounts_register_failed error={}", st.message());
    return Unavailable();
  }
  PARLEY_LOG_INFO("account_registered id={}", row.id);
  return StartSession(ProfileOf(row));
}

Result<SignedIn> Accounts::Login(const std::string& username, const std::string& password) {
  auto user = FindUserByName(db_, username);
  if (!user.ok()) {
    PARLEY_LOG_ERROR("accounts_login_failed error={}", user.status().message());
    return Unavailable();
  }
  // One verification either way: an unknown name costs what a wrong password costs.
  const std::string& stored = user->has_value() ? (*user)->password_hash : dummy_hash_;
  const bool match = VerifyPassword(stored, password);
  if (!match || !user->has_value()) {
    return Status(ErrorCode::kInvalidCredentials, "Wrong username or password.");
  }
  return StartSession(ProfileOf(**user));
}

Status Accounts::Logout(const std::string& token) {
  const Sha256Digest digest = Sha256(token);
  if (Status st = DeleteSession(db_, ToHex(digest)); !st.ok()) {
    PARLEY_LOG_ERROR("accounts_logout_failed error={}", st.message());
    return Unavailable();
  }
  if (!sessions_.Erase(digest)) {
    return Status(ErrorCode::kSessionInvalid, "This session is not valid; sign in again.");
  }
  return Status::Ok();
}

Result<AccountProfile> Accounts::UpdateProfile(const std::string& id,
                                               const std::optional<std::string>& display_name,
                                               const std::optional<std::string>& avatar_url) {
  auto user = FindUserById(db_, id);
  if (!user.ok()) {
    PARLEY_LOG_ERROR("accounts_profile_failed error={}", user.status().message());
    return Unavailable();
  }
  if (!user->has_value()) return Status(ErrorCode::kNotFound, "No such account.");
  UserRow& row = **user;
  if (display_name) row.display_name = *display_name;
  if (avatar_url) row.avatar_url = *avatar_url;
  if (Status st = UpdateUserProfile(db_, id, row.display_name, row.avatar_url); !st.ok()) {
    if (st.code() == ErrorCode::kNotFound) return st;
    PARLEY_LOG_ERROR("accounts_profile_failed error={}", st.message());
    return Unavailable();
  }
  AccountProfile profile = ProfileOf(row);
  sessions_.UpdateProfile(profile);
  return profile;
}

}  // namespace parley::auth
