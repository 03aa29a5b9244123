// Stable hashes: the same value on every build and platform, unlike std::hash, so the home
// shard of a room or pair depends only on its name. Pure.
#pragma once

#include <cstdint>
#include <string_view>

namespace parley {

// FNV-1a, 64-bit.
inline uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace parley
