// Password hashing for built-in accounts: argon2id through libsodium's crypto_pwhash_str,
// whose output string carries the algorithm, its cost and a random salt.
//
// Slow on purpose (tens of milliseconds and `mem_kib` of memory per call): call these only
// on the accounts thread (auth/accounts.h), never on a shard thread. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace parley::auth {

struct PasswordCost {
  uint64_t ops_limit = 2;    // crypto_pwhash_OPSLIMIT_INTERACTIVE
  uint64_t mem_kib = 65536;  // crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB)
};

// Initialises libsodium; false when it cannot (no entropy source). Idempotent; call once
// at startup before any other function here or NewSessionToken.
bool InitSodium();

// The argon2id string for `password` ("$argon2id$v=19$m=...,t=...,p=1$salt$hash").
// internal when libsodium cannot allocate the memory the cost asks for.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);

// True when `password` matches `stored` (a HashPassword string). A malformed `stored`
// never matches. Takes as long as the cost recorded in `stored`, match or not.
bool VerifyPassword(std::string_view stored, std::string_view password);

}  // namespace parley::auth
