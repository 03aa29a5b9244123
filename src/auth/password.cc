#include "auth/password.h"

#include <sodium.h>

namespace parley::auth {

bool InitSodium() { return sodium_init() >= 0; }

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops_limit,
                            static_cast<size_t>(cost.mem_kib) * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(ErrorCode::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored, std::string_view password) {
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES - 1.
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  char buf[crypto_pwhash_STRBYTES] = {};
  stored.copy(buf, stored.size());
  return crypto_pwhash_str_verify(buf, password.data(), password.size()) == 0;
}

}  // namespace parley::auth
