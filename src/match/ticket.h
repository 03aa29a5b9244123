// TicketSigner: proves that a user was matched into a pair room. A ticket is
// HMAC-SHA256(secret, sessionId "\n" userId) in hex, handed out in POST /api/match's wsUrl
// and checked by GET /chat, so a guessable sessionId alone lets nobody in.
//
// The 32-byte secret lives in the data directory (created on first start with mode 0600),
// so tickets survive restarts. Immutable after construction: any thread may use it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace parley::match {

class TicketSigner {
 public:
  static constexpr size_t kSecretBytes = 32;
  using Secret = std::array<uint8_t, kSecretBytes>;

  explicit TicketSigner(const Secret& secret) : secret_(secret) {}

  // Reads `path`, or creates it (0600) with fresh random bytes when it does not exist.
  // Fails on a file of the wrong size or an I/O error (startup: the caller exits).
  static Result<TicketSigner> LoadOrCreate(const std::string& path);

  std::string Sign(std::string_view session_id, std::string_view user_id) const;
  // Constant-time comparison: the time taken says nothing about how much of it was right.
  bool Verify(std::string_view session_id, std::string_view user_id, std::string_view ticket) const;

 private:
  Secret secret_;
};

}  // namespace parley::match
