#include "guard/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace parley::guard {

void TokenBucket::Refill(const RateRule& rule, int64_t now_ms) {
  if (tokens_ < 0) {
    tokens_ = rule.burst;
  } else if (now_ms > last_ms_) {
    tokens_ = std::min<double>(
        rule.burst, tokens_ + static_cast<double>(now_ms - last_ms_) * rule.per_s / 1000.0);
  }
  last_ms_ = std::max(last_ms_, now_ms);
}

int64_t TokenBucket::Take(const RateRule& rule, int64_t now_ms) {
  Refill(rule, now_ms);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return 0;
  }
  const double missing = 1.0 - tokens_;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(missing * 1000.0 / rule.per_s)));
}

void TokenBucket::Refund(const RateRule& rule) {
  if (tokens_ >= 0) tokens_ = std::min<double>(rule.burst, tokens_ + 1.0);
}

bool TokenBucket::IdleAt(const RateRule& rule, int64_t now_ms) const {
  if (tokens_ < 0) return true;
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now_ms - last_ms_));
  return tokens_ + elapsed * rule.per_s / 1000.0 >= rule.burst;
}

}  // namespace parley::guard
