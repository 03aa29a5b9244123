// JwtVerifier: checks a JWT from the operator's backend (HS256 with a shared secret, RS256
// with a PEM public key) and turns it into the claims parley trusts.
//
// Built once at startup, then only read: Verify is const and safe from every shard thread
// at once (each call uses its own OpenSSL contexts). Owns its EVP_PKEY.
//
// Order of checks: shape (ParseJwt), algorithm enabled, signature, then nbf/exp against
// `now_s` with `leeway_s`. A forged token is therefore token_invalid even when expired;
// only a genuine token can be token_expired.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "auth/jwt.h"
#include "base/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace parley::auth {

struct JwtOptions {
  std::string hs256_secret{};          // "" = HS256 tokens refused
  std::string rs256_public_key_pem{};  // "" = RS256 tokens refused
  int64_t leeway_s = 30;               // clock skew allowed on exp and nbf
  JwtLimits limits{};
};

class JwtVerifier {
 public:
  // Fails (kBadRequest, one line for startup) on a PEM that is not an RSA public key or an
  // HS256 secret shorter than 32 bytes.
  static Result<JwtVerifier> Create(JwtOptions options);
  JwtVerifier() = default;  // accepts no token

  bool enabled() const { return !options_.hs256_secret.empty() || key_ != nullptr; }

  // kTokenInvalid or kTokenExpired on refusal.
  Result<JwtClaims> Verify(std::string_view token, int64_t now_s) const;

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* k) const;
  };
  bool CheckHs256(const ParsedJwt& jwt) const;
  bool CheckRs256(const ParsedJwt& jwt) const;

  JwtOptions options_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace parley::auth
