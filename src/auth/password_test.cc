#include "auth/password.h"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

// The smallest cost libsodium allows keeps the test quick; the algorithm is the same.
constexpr PasswordCost kCheap{.ops_limit = 1, .mem_kib = 8};

class PasswordTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitSodium()); }
};

TEST_F(PasswordTest, AHashIsArgon2idAndNeverHoldsThePassword) {
  auto h = HashPassword("correct horse battery", kCheap);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << *h;
  EXPECT_EQ(h->find("correct horse battery"), std::string::npos);
}

TEST_F(PasswordTest, TheRightPasswordVerifiesAndOthersDoNot) {
  auto h = HashPassword("correct horse battery", kCheap);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*h, ""));
}

TEST_F(PasswordTest, TwoHashesOfOnePasswordDifferBySalt) {
  auto a = HashPassword("same password", kCheap);
  auto b = HashPassword("same password", kCheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST_F(PasswordTest, PasswordsMayHoldAnyBytes) {
  const std::string pw("nul\0inside\xff", 11);
  auto h = HashPassword(pw, kCheap);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(VerifyPassword(*h, pw));
  EXPECT_FALSE(VerifyPassword(*h, "nul"));
}

TEST_F(PasswordTest, AMalformedStoredHashNeverMatches) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("plain-text-password", "plain-text-password"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "x"));
}

TEST_F(PasswordTest, TheCostIsRecordedInTheHash) {
  auto h = HashPassword("pw", PasswordCost{.ops_limit = 2, .mem_kib = 16});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=16,t=2,p=1$")) << *h;
}

}  // namespace
}  // namespace parley::auth
