#include "auth/session_table.h"

#include <sodium.h>

#include <cstring>

#include "auth/base64url.h"
#include "auth/credentials.h"

namespace parley::auth {

std::string NewSessionToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  std::string token(kSessionTokenPrefix);
  token += Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  sodium_memzero(bytes, sizeof bytes);
  return token;
}

size_t SessionTable::DigestHash::operator()(const Sha256Digest& d) const {
  size_t h;
  std::memcpy(&h, d.data(), sizeof h);  // a SHA-256 is already uniformly spread
  return h;
}

bool SessionTable::Insert(const Sha256Digest& digest, const AccountProfile& profile,
                          int64_t expires_at_ms, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (sessions_.size() >= max_sessions_ && !sessions_.contains(digest)) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      auto next = std::next(it);
      if (it->second.expires_at_ms <= now_ms) EraseLocked(it);
      it = next;
    }
    if (sessions_.size() >= max_sessions_) return false;
  }
  auto [it, added] = sessions_.try_emplace(digest);
  if (!added) {  // the same token twice: 2^-256, but keep the counts right
    EraseLocked(it);
    it = sessions_.try_emplace(digest).first;
  }
  it->second = Session{profile.id, expires_at_ms};
  Account& account = accounts_[profile.id];
  account.profile = profile;
  ++account.sessions;
  return true;
}

Result<AccountProfile> SessionTable::Find(const Sha256Digest& digest, int64_t now_ms) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(digest);
  if (it == sessions_.end()) {
    return Status(ErrorCode::kSessionInvalid, "This session is not valid; sign in again.");
  }
  if (it->second.expires_at_ms <= now_ms) {
    return Status(ErrorCode::kSessionExpired, "This session has expired; sign in again.");
  }
  return accounts_.at(it->second.account_id).profile;
}

bool SessionTable::Erase(const Sha256Digest& digest) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(digest);
  if (it == sessions_.end()) return false;
  EraseLocked(it);
  return true;
}

void SessionTable::EraseLocked(std::unordered_map<Sha256Digest, Session, DigestHash>::iterator it) {
  auto account = accounts_.find(it->second.account_id);
  if (account != accounts_.end() && --account->second.sessions == 0) accounts_.erase(account);
  sessions_.erase(it);
}

void SessionTable::UpdateProfile(const AccountProfile& profile) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(profile.id);
  if (it != accounts_.end()) it->second.profile = profile;
}

size_t SessionTable::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace parley::auth
