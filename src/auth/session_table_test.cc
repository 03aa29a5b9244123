#include "auth/session_table.h"

#include <gtest/gtest.h>

#include "auth/password.h"

namespace parley::auth {
namespace {

AccountProfile Ann() {
  return AccountProfile{.id = "a1", .username = "ann", .display_name = "Ann", .avatar_url = ""};
}
AccountProfile Bob() { return AccountProfile{.id = "b2", .username = "bob"}; }

TEST(SessionTableTest, AnInsertedSessionFindsItsAccount) {
  SessionTable t(10);
  ASSERT_TRUE(t.Insert(Sha256("tok1"), Ann(), 1000, 0));
  auto p = t.Find(Sha256("tok1"), 999);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->username, "ann");
  EXPECT_EQ(p->display_name, "Ann");
}

TEST(SessionTableTest, AnUnknownSessionIsInvalid) {
  SessionTable t(10);
  EXPECT_EQ(t.Find(Sha256("nope"), 0).status().code(), ErrorCode::kSessionInvalid);
}

TEST(SessionTableTest, AtItsExpiryASessionIsExpired) {
  SessionTable t(10);
  ASSERT_TRUE(t.Insert(Sha256("tok1"), Ann(), 1000, 0));
  EXPECT_EQ(t.Find(Sha256("tok1"), 1000).status().code(), ErrorCode::kSessionExpired);
  EXPECT_EQ(t.Find(Sha256("tok1"), 5000).status().code(), ErrorCode::kSessionExpired);
}

TEST(SessionTableTest, AnErasedSessionIsInvalid) {
  SessionTable t(10);
  ASSERT_TRUE(t.Insert(Sha256("tok1"), Ann(), 1000, 0));
  EXPECT_TRUE(t.Erase(Sha256("tok1")));
  EXPECT_FALSE(t.Erase(Sha256("tok1")));
  EXPECT_EQ(t.Find(Sha256("tok1"), 0).status().code(), ErrorCode::kSessionInvalid);
  EXPECT_EQ(t.size(), 0u);
}

TEST(SessionTableTest, AProfileUpdateReachesEverySessionOfTheAccount) {
  SessionTable t(10);
  ASSERT_TRUE(t.Insert(Sha256("phone"), Ann(), 1000, 0));
  ASSERT_TRUE(t.Insert(Sha256("laptop"), Ann(), 1000, 0));
  ASSERT_TRUE(t.Insert(Sha256("bob"), Bob(), 1000, 0));
  AccountProfile renamed = Ann();
  renamed.display_name = "Annie";
  renamed.avatar_url = "/files/abc";
  t.UpdateProfile(renamed);
  EXPECT_EQ(t.Find(Sha256("phone"), 0)->display_name, "Annie");
  EXPECT_EQ(t.Find(Sha256("laptop"), 0)->avatar_url, "/files/abc");
  EXPECT_EQ(t.Find(Sha256("bob"), 0)->display_name, "");
}

TEST(SessionTableTest, LoggingOutOneDeviceKeepsTheOther) {
  SessionTable t(10);
  ASSERT_TRUE(t.Insert(Sha256("phone"), Ann(), 1000, 0));
  ASSERT_TRUE(t.Insert(Sha256("laptop"), Ann(), 1000, 0));
  EXPECT_TRUE(t.Erase(Sha256("phone")));
  EXPECT_TRUE(t.Find(Sha256("laptop"), 0).ok());
}

TEST(SessionTableTest, AFullTableDropsExpiredSessionsFirst) {
  SessionTable t(2);
  ASSERT_TRUE(t.Insert(Sha256("old"), Ann(), 100, 0));
  ASSERT_TRUE(t.Insert(Sha256("live"), Bob(), 10000, 0));
  ASSERT_TRUE(t.Insert(Sha256("new"), Ann(), 10000, 500));  // "old" expired at 100
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.Find(Sha256("old"), 500).status().code(), ErrorCode::kSessionInvalid);
  EXPECT_TRUE(t.Find(Sha256("new"), 500).ok());
}

TEST(SessionTableTest, AFullTableOfLiveSessionsRefuses) {
  SessionTable t(2);
  ASSERT_TRUE(t.Insert(Sha256("a"), Ann(), 10000, 0));
  ASSERT_TRUE(t.Insert(Sha256("b"), Bob(), 10000, 0));
  EXPECT_FALSE(t.Insert(Sha256("c"), Ann(), 10000, 0));
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.Find(Sha256("c"), 0).status().code(), ErrorCode::kSessionInvalid);
}

TEST(SessionTableTest, TokensAreLongRandomAndCookieSafe) {
  ASSERT_TRUE(InitSodium());
  const std::string a = NewSessionToken();
  const std::string b = NewSessionToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 3u + 43u);
  EXPECT_TRUE(a.starts_with("ps_"));
  EXPECT_EQ(
      a.find_first_not_of("ps_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
}

}  // namespace
}  // namespace parley::auth
