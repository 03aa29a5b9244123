// TokenBucket: the classic rate limiter. A bucket holds up to `burst` tokens, gains
// `per_s` tokens a second, and each action takes one. Plain value, 16 bytes; the owner
// provides the clock (milliseconds, any monotonic origin) and any locking.
#pragma once

#include <cstdint>

namespace parley::guard {

// One action's rule: `per_s` tokens a second, up to `burst`. per_s == 0 disables the rule
// (every Take succeeds).
struct RateRule {
  int per_s = 0;
  int burst = 0;

  bool enabled() const { return per_s > 0; }
};

class TokenBucket {
 public:
  // A new bucket is full: a first burst is always allowed.
  TokenBucket() = default;

  // Takes one token at `now_ms`. Returns 0 when taken, otherwise how many milliseconds
  // until a token will be there (>= 1); nothing is taken then.
  // REQUIRES: rule.enabled(); now_ms never goes backwards by more than noise (a clock
  // step back is treated as no time passing).
  int64_t Take(const RateRule& rule, int64_t now_ms);
  // Gives back a token taken at `now_ms` (another bucket of the same action refused).
  void Refund(const RateRule& rule);
  // True when the bucket would be full at `now_ms`: it holds nothing a fresh bucket would
  // not, so it can be forgotten.
  bool IdleAt(const RateRule& rule, int64_t now_ms) const;

 private:
  void Refill(const RateRule& rule, int64_t now_ms);

  double tokens_ = -1;  // < 0: never used (full)
  int64_t last_ms_ = 0;
};

}  // namespace parley::guard
