// Test helpers: mint JWTs the way an operator's backend would (HS256, RS256), and make
// RSA key pairs. Header-only; for tests, never for parley itself.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>
#include <string_view>

#include "auth/base64url.h"

namespace parley::auth::testing_util {

inline std::string Hs256(std::string_view secret, std::string_view input) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

// "header.payload" from JSON texts.
inline std::string SigningInput(std::string_view header_json, std::string_view payload_json) {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
}

inline std::string SignHs256(std::string_view secret, std::string_view payload_json,
                             std::string_view header_json = R"({"alg":"HS256","typ":"JWT"})") {
  std::string input = SigningInput(header_json, payload_json);
  return input + "." + Base64UrlEncode(Hs256(secret, input));
}

// An RSA key pair; frees itself.
class RsaKey {
 public:
  RsaKey() : key_(EVP_RSA_gen(2048), EVP_PKEY_free) {}
  EVP_PKEY* get() const { return key_.get(); }

  std::string PublicPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key_.get());
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    return pem;
  }

  std::string Sign(std::string_view payload_json,
                   std::string_view header_json = R"({"alg":"RS256","typ":"JWT"})") const {
    std::string input = SigningInput(header_json, payload_json);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get());
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    return input + "." + Base64UrlEncode(sig);
  }

 private:
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key_;
};

}  // namespace parley::auth::testing_util
