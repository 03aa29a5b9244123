#include "auth/api_keys.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>

#include "auth/base64url.h"

namespace parley::auth {

Sha256Digest Sha256(std::string_view bytes) {
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

std::string ToHex(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<Sha256Digest> FromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto nibble = [](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
  };
  Sha256Digest out{};
  for (size_t i = 0; i < 32; ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

std::string NewApiKey() {
  unsigned char raw[32];
  // RAND_bytes fails only when the OS has no entropy source: nothing safe can follow.
  if (RAND_bytes(raw, sizeof(raw)) != 1) std::abort();
  return "pk_" + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(raw), sizeof(raw)));
}

bool ValidAppName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

size_t ApiKeyRing::DigestHash::operator()(const Sha256Digest& d) const {
  size_t h = 0;
  std::memcpy(&h, d.data(), sizeof(h));  // a digest's bytes are already uniform
  return h;
}

void ApiKeyRing::AddPlain(std::string_view app, std::string_view key) {
  if (!key.empty()) AddDigest(app, Sha256(key));
}

void ApiKeyRing::AddDigest(std::string_view app, const Sha256Digest& digest) {
  apps_.insert_or_assign(digest, std::string(app));
}

Status ApiKeyRing::AddList(std::string_view list) {
  int index = 0;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view entry = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry.empty()) continue;
    ++index;
    const size_t colon = entry.find(':');
    const std::string_view app = entry.substr(0, colon);
    auto digest = colon == std::string_view::npos ? std::nullopt : FromHex(entry.substr(colon + 1));
    if (!ValidAppName(app) || !digest) {
      // The entry itself is not shown: it may be a plain key pasted by mistake.
      return Status(ErrorCode::kBadRequest,
                    fmt::format("config: auth.api_keys entry {} must be NAME:SHA256HEX (NAME of "
                                "a-z 0-9 - _, then 64 hex digits)",
                                index));
    }
    AddDigest(app, *digest);
  }
  return Status::Ok();
}

std::optional<std::string> ApiKeyRing::Find(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  auto it = apps_.find(Sha256(key));
  if (it == apps_.end()) return std::nullopt;
  return it->second;
}

}  // namespace parley::auth
