// ApiKeyRing: the API keys of the client apps allowed to connect ("web", "mobile", ...).
//
// A key is known only by its SHA-256 digest, whatever its source: the seed 001 keys in
// parley.toml (auth.web_api_key, auth.mobile_api_key, plain text as the seed's .dev.vars
// has them), hashed entries in auth.api_keys ("name:sha256hex,..."), and keys created
// with `parley keys create NAME` (stored in SQLite as digests). A presented key is hashed
// and looked up, so no secret is ever compared byte by byte and the time taken says
// nothing about how close a guess was.
//
// Built at startup, then only read (any thread).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace parley::auth {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest Sha256(std::string_view bytes);
std::string ToHex(const Sha256Digest& digest);
// Parses 64 hex digits (either case).
std::optional<Sha256Digest> FromHex(std::string_view hex);

// A new random key: "pk_" and 43 base64url characters (256 bits from the OS CSPRNG).
std::string NewApiKey();

// App names: 1..32 of a-z, 0-9, '-', '_'.
bool ValidAppName(std::string_view name);

class ApiKeyRing {
 public:
  // Adds a plain key (seed 001 settings) under `app`. Empty keys are ignored.
  void AddPlain(std::string_view app, std::string_view key);
  // Adds a key by its digest.
  void AddDigest(std::string_view app, const Sha256Digest& digest);
  // Adds "name:sha256hex,name:sha256hex" (spaces around entries allowed). Fails with a
  // one-line message naming the bad entry.
  Status AddList(std::string_view list);

  // The app name of `key`, or nullopt when it matches no key.
  std::optional<std::string> Find(std::string_view key) const;
  bool empty() const { return apps_.empty(); }
  size_t size() const { return apps_.size(); }

 private:
  struct DigestHash {
    size_t operator()(const Sha256Digest& d) const;
  };
  std::unordered_map<Sha256Digest, std::string, DigestHash> apps_;
};

}  // namespace parley::auth
