// Incremental UTF-8 validation (RFC 3629): rejects overlongs, surrogates and code points
// past U+10FFFF, and can be fed a message in pieces that split a code point.
#pragma once

#include <cstdint>
#include <string_view>

namespace parley::ws {

class Utf8Validator {
 public:
  // Feeds more bytes; false as soon as the input can no longer be valid UTF-8.
  bool Feed(std::string_view bytes);
  // True when everything fed so far is valid and no code point is left unfinished.
  bool Complete() const { return state_ == 0; }
  void Reset() { state_ = 0; }

 private:
  uint32_t state_ = 0;
};

// Validates a whole string at once.
bool IsValidUtf8(std::string_view bytes);

}  // namespace parley::ws
