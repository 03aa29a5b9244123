#include "guard/token_bucket.h"

#include <gtest/gtest.h>

namespace parley::guard {
namespace {

TEST(TokenBucket, StartsFullAndRefusesPastTheBurst) {
  const RateRule rule{.per_s = 2, .burst = 3};
  TokenBucket b;
  EXPECT_EQ(b.Take(rule, 1000), 0);
  EXPECT_EQ(b.Take(rule, 1000), 0);
  EXPECT_EQ(b.Take(rule, 1000), 0);
  // Empty: one token comes back every 500 ms.
  EXPECT_EQ(b.Take(rule, 1000), 500);
  EXPECT_EQ(b.Take(rule, 1200), 300);
  EXPECT_EQ(b.Take(rule, 1500), 0);
  EXPECT_EQ(b.Take(rule, 1500), 500);
}

TEST(TokenBucket, RefillStopsAtTheBurst) {
  const RateRule rule{.per_s = 10, .burst = 2};
  TokenBucket b;
  EXPECT_EQ(b.Take(rule, 0), 0);
  EXPECT_EQ(b.Take(rule, 0), 0);
  // An hour later it holds two tokens, not 36000.
  EXPECT_EQ(b.Take(rule, 3'600'000), 0);
  EXPECT_EQ(b.Take(rule, 3'600'000), 0);
  EXPECT_GT(b.Take(rule, 3'600'000), 0);
}

TEST(TokenBucket, RefundGivesATokenBack) {
  const RateRule rule{.per_s = 1, .burst = 1};
  TokenBucket b;
  EXPECT_EQ(b.Take(rule, 0), 0);
  EXPECT_GT(b.Take(rule, 0), 0);
  b.Refund(rule);
  EXPECT_EQ(b.Take(rule, 0), 0);
}

TEST(TokenBucket, IdleOnceRefilled) {
  const RateRule rule{.per_s = 1, .burst = 2};
  TokenBucket b;
  EXPECT_TRUE(b.IdleAt(rule, 0));
  EXPECT_EQ(b.Take(rule, 0), 0);
  EXPECT_FALSE(b.IdleAt(rule, 999));
  EXPECT_TRUE(b.IdleAt(rule, 1000));
}

TEST(TokenBucket, ClockGoingBackIsNoTime) {
  const RateRule rule{.per_s = 1, .burst = 1};
  TokenBucket b;
  EXPECT_EQ(b.Take(rule, 5000), 0);
  EXPECT_EQ(b.Take(rule, 4000), 1000);
  EXPECT_EQ(b.Take(rule, 6000), 0);
}

}  // namespace
}  // namespace parley::guard
