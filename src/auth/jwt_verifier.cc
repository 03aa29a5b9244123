#include "auth/jwt_verifier.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

namespace parley::auth {
namespace {

constexpr size_t kMinSecretBytes = 32;

Status Invalid(std::string_view why) {
  return Status(ErrorCode::kTokenInvalid, fmt::format("The token is not valid: {}.", why));
}

}  // namespace

void JwtVerifier::KeyFree::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

Result<JwtVerifier> JwtVerifier::Create(JwtOptions options) {
  JwtVerifier v;
  if (!options.hs256_secret.empty() && options.hs256_secret.size() < kMinSecretBytes) {
    return Status(
        ErrorCode::kBadRequest,
        fmt::format("config: auth.jwt_hs256_secret must be at least {} bytes", kMinSecretBytes));
  }
  if (!options.rs256_public_key_pem.empty()) {
    BIO* bio = BIO_new_mem_buf(options.rs256_public_key_pem.data(),
                               static_cast<int>(options.rs256_public_key_pem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
      EVP_PKEY_free(key);
      return Status(ErrorCode::kBadRequest,
                    "config: auth.jwt_rs256_public_key_file does not hold a PEM RSA public key");
    }
    v.key_ = std::shared_ptr<EVP_PKEY>(key, KeyFree());
  }
  v.options_ = std::move(options);
  return v;
}

bool JwtVerifier::CheckHs256(const ParsedJwt& jwt) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  const auto& secret = options_.hs256_secret;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
           jwt.signing_input.size(), mac, &mac_len) == nullptr) {
    return false;
  }
  return jwt.signature.size() == mac_len && CRYPTO_memcmp(mac, jwt.signature.data(), mac_len) == 0;
}

bool JwtVerifier::CheckRs256(const ParsedJwt& jwt) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(jwt.signature.data()),
                             jwt.signature.size(),
                             reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
                             jwt.signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

Result<JwtClaims> JwtVerifier::Verify(std::string_view token, int64_t now_s) const {
  auto parsed = ParseJwt(token, options_.limits);
  if (!parsed.ok()) return parsed.status();
  const ParsedJwt& jwt = parsed.value();
  // Each algorithm has its own key, so an RS256 public key can never serve as an HS256
  // secret (the classic algorithm-confusion forgery).
  if (jwt.alg == JwtAlg::kHs256) {
    if (options_.hs256_secret.empty()) return Invalid("HS256 tokens are not accepted here");
    if (!CheckHs256(jwt)) return Invalid("its signature does not match");
  } else {
    if (key_ == nullptr) return Invalid("RS256 tokens are not accepted here");
    if (!CheckRs256(jwt)) return Invalid("its signature does not match");
  }
  const JwtClaims& c = jwt.claims;
  // Compared as differences from now: exp and nbf may be as large as int64 allows.
  if (c.nbf && *c.nbf - options_.leeway_s > now_s) return Invalid("it is not valid yet (nbf)");
  if (c.exp <= now_s - options_.leeway_s) {
    return Status(ErrorCode::kTokenExpired, "The token has expired; get a new one.");
  }
  return std::move(parsed.value().claims);
}

}  // namespace parley::auth
