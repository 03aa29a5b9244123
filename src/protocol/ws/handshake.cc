#include "protocol/ws/handshake.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <string>

namespace parley::ws {
namespace {

// RFC 6455 1.3: the GUID appended to the client's key before hashing.
constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::string AcceptKey(std::string_view client_key) {
  std::string input;
  input.reserve(client_key.size() + kGuid.size());
  input.append(client_key);
  input.append(kGuid);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  // SHA-1 over a short in-memory string fails only on a broken libcrypto: crash, per the
  // error policy for what cannot happen.
  if (EVP_Digest(input.data(), input.size(), digest, &digest_len, EVP_sha1(), nullptr) != 1 ||
      digest_len != 20) {
    std::abort();
  }
  // 20 bytes encode to 28 base64 characters plus the terminating NUL EVP_EncodeBlock writes.
  unsigned char encoded[29];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(digest_len));
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
}

bool IsValidClientKey(std::string_view key) {
  // 16 bytes are 22 base64 characters (128 of their 132 bits) and "==" padding. The 4
  // spare bits are not required to be zero: the key still decodes to 16 bytes.
  if (key.size() != 24 || key[22] != '=' || key[23] != '=') return false;
  for (size_t i = 0; i < 22; ++i) {
    if (!IsBase64Char(key[i])) return false;
  }
  return true;
}

}  // namespace parley::ws
