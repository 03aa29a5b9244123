#include "guard/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::guard {
namespace {

RateOptions Options(RateRule message, int ip_factor = 2, int max_keys = 100000) {
  RateOptions o;
  o.rules[static_cast<int>(Action::kMessage)] = message;
  o.ip_factor = ip_factor;
  o.max_keys = max_keys;
  o.exempt_loopback = true;
  return o;
}

TEST(RateLimiter, ConnectionBucketLimitsOneConnection) {
  RateLimiter limiter(Options({.per_s = 1, .burst = 2}));
  ConnectionBuckets a, b;
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.connection = &a}, 0).allowed());
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.connection = &a}, 0).allowed());
  const RateDecision d = limiter.TakeAt(Action::kMessage, {.connection = &a}, 0);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.retry_after_ms, 1000);
  // Another connection has its own bucket.
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.connection = &b}, 0).allowed());
  EXPECT_EQ(limiter.refused(), 1);
}

TEST(RateLimiter, UserBucketIsSharedAcrossConnections) {
  RateLimiter limiter(Options({.per_s = 1, .burst = 2}));
  ConnectionBuckets a, b;
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.connection = &a, .user = "ann"}, 0).allowed());
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.connection = &b, .user = "ann"}, 0).allowed());
  EXPECT_FALSE(limiter.TakeAt(Action::kMessage, {.connection = &b, .user = "ann"}, 0).allowed());
  // The refused take gave connection b's token back: after ann's bucket refills, b has one.
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.connection = &b, .user = "ann"}, 1000).allowed());
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.user = "bob"}, 0).allowed());
}

TEST(RateLimiter, IpBucketUsesTheFactorAndRefundsTheUser) {
  RateLimiter limiter(Options({.per_s = 1, .burst = 1}, /*ip_factor=*/2));
  const std::string ip = "203.0.113.7";
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.user = "a", .ip = ip}, 0).allowed());
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.user = "b", .ip = ip}, 0).allowed());
  // The address's 2 tokens are gone; c is refused and keeps its own token.
  EXPECT_FALSE(limiter.TakeAt(Action::kMessage, {.user = "c", .ip = ip}, 0).allowed());
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.user = "c"}, 0).allowed());
}

TEST(RateLimiter, LoopbackIsExemptFromIpBuckets) {
  RateLimiter limiter(Options({.per_s = 1, .burst = 1}, /*ip_factor=*/1));
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.ip = "127.0.0.1"}, 0).allowed());
    EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.ip = "::1"}, 0).allowed());
  }
  EXPECT_TRUE(IsLoopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopback("10.0.0.1"));
}

TEST(RateLimiter, DisabledRuleAndDisabledLimiterPassEverything) {
  RateLimiter limiter(Options({.per_s = 1, .burst = 1}));
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.TakeAt(Action::kTyping, {.user = "a"}, 0).allowed());
  }
  RateOptions off = Options({.per_s = 1, .burst = 1});
  off.enabled = false;
  RateLimiter none(off);
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(none.TakeAt(Action::kMessage, {.user = "a"}, 0).allowed());
}

TEST(RateLimiter, ActionsHaveSeparateBuckets) {
  RateOptions o = Options({.per_s = 1, .burst = 1});
  o.rules[static_cast<int>(Action::kJoin)] = {.per_s = 1, .burst = 1};
  RateLimiter limiter(o);
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.user = "a"}, 0).allowed());
  EXPECT_TRUE(limiter.TakeAt(Action::kJoin, {.user = "a"}, 0).allowed());
  EXPECT_FALSE(limiter.TakeAt(Action::kJoin, {.user = "a"}, 0).allowed());
  EXPECT_EQ(ActionName(Action::kAi), "ai");
}

TEST(RateLimiter, MemoryIsBoundedAndIdleBucketsAreEvicted) {
  // 64 stripes of one bucket each.
  RateLimiter limiter(Options({.per_s = 1, .burst = 1}, 1, /*max_keys=*/64));
  for (int i = 0; i < 10000; ++i) {
    (void)limiter.TakeAt(Action::kMessage, {.user = "user" + std::to_string(i)}, 0);
  }
  EXPECT_LE(limiter.tracked_keys(), 64);
  EXPECT_GT(limiter.overflowed(), 0);
  // Overflowing keys share their stripe's bucket: a flood of fresh names is still limited.
  EXPECT_GT(limiter.refused(), 9000);
  // Once the buckets have refilled, new keys replace them.
  const int64_t before = limiter.overflowed();
  EXPECT_TRUE(limiter.TakeAt(Action::kMessage, {.user = "late"}, 10'000).allowed());
  EXPECT_EQ(limiter.overflowed(), before);
  EXPECT_LE(limiter.tracked_keys(), 64);
}

}  // namespace
}  // namespace parley::guard
