#include "auth/accounts.h"

#include <gtest/gtest.h>

#include "auth/api_keys.h"
#include "store/store_test_util.h"

namespace parley::auth {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override { accounts_ = OpenAccounts(sessions_); }

  std::unique_ptr<Accounts> OpenAccounts(SessionTable& table) {
    auto a = Accounts::Open(dir_.File("parley.db"), options_, table, clock_);
    EXPECT_TRUE(a.ok()) << a.status().message();
    return a.ok() ? std::move(a).value() : nullptr;
  }

  testing_util::ScopedTempDir dir_;
  ManualClock clock_;
  AccountOptions options_{.cost = {.ops_limit = 1, .mem_kib = 8}, .session_ttl_ms = 60'000};
  SessionTable sessions_{100};
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, RegisterSignsTheNewAccountIn) {
  auto r = accounts_->Register("ann", "password1", "Ann", "/files/a");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->token.starts_with("ps_"));
  EXPECT_EQ(r->expires_at_ms, clock_.NowMs() + 60'000);
  EXPECT_EQ(r->profile.username, "ann");
  EXPECT_EQ(r->profile.id.size(), 32u);
  auto found = sessions_.Find(Sha256(r->token), clock_.NowMs());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->display_name, "Ann");
  EXPECT_EQ(found->avatar_url, "/files/a");
}

TEST_F(AccountsTest, AUsernameCannotBeRegisteredTwiceInAnyCase) {
  ASSERT_TRUE(accounts_->Register("ann", "password1", "", "").ok());
  EXPECT_EQ(accounts_->Register("ann", "password2", "", "").status().code(),
            ErrorCode::kUsernameTaken);
  EXPECT_EQ(accounts_->Register("ANN", "password2", "", "").status().code(),
            ErrorCode::kUsernameTaken);
}

TEST_F(AccountsTest, UnknownUserAndWrongPasswordGetOneCode) {
  ASSERT_TRUE(accounts_->Register("ann", "password1", "", "").ok());
  auto wrong = accounts_->Login("ann", "password2");
  auto unknown = accounts_->Login("nobody", "password1");
  EXPECT_EQ(wrong.status().code(), ErrorCode::kInvalidCredentials);
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidCredentials);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
}

TEST_F(AccountsTest, LoginStartsAnotherSessionAndLogoutEndsOnlyThatOne) {
  auto reg = accounts_->Register("ann", "password1", "", "");
  ASSERT_TRUE(reg.ok());
  auto login = accounts_->Login("Ann", "password1");  // the name in any case
  ASSERT_TRUE(login.ok()) << login.status().message();
  EXPECT_NE(login->token, reg->token);
  ASSERT_TRUE(accounts_->Logout(login->token).ok());
  EXPECT_EQ(sessions_.Find(Sha256(login->token), clock_.NowMs()).status().code(),
            ErrorCode::kSessionInvalid);
  EXPECT_TRUE(sessions_.Find(Sha256(reg->token), clock_.NowMs()).ok());
  EXPECT_EQ(accounts_->Logout(login->token).code(), ErrorCode::kSessionInvalid);
}

TEST_F(AccountsTest, SessionsSurviveARestartButLoggedOutAndExpiredOnesDoNot) {
  auto kept = accounts_->Register("ann", "password1", "", "");
  auto gone = accounts_->Login("ann", "password1");
  ASSERT_TRUE(kept.ok() && gone.ok());
  ASSERT_TRUE(accounts_->Logout(gone->token).ok());
  clock_.Advance(30'000);
  auto later = accounts_->Login("ann", "password1");  // expires 30 s after the others
  ASSERT_TRUE(later.ok());
  accounts_.reset();

  clock_.Advance(40'000);  // the first session expired, the last is live
  SessionTable reloaded(100);
  auto again = OpenAccounts(reloaded);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(reloaded.size(), 1u);
  EXPECT_TRUE(reloaded.Find(Sha256(later->token), clock_.NowMs()).ok());
  EXPECT_EQ(reloaded.Find(Sha256(gone->token), clock_.NowMs()).status().code(),
            ErrorCode::kSessionInvalid);
}

TEST_F(AccountsTest, AnExpiredSessionSaysSo) {
  auto r = accounts_->Register("ann", "password1", "", "");
  ASSERT_TRUE(r.ok());
  clock_.Advance(60'000);
  EXPECT_EQ(sessions_.Find(Sha256(r->token), clock_.NowMs()).status().code(),
            ErrorCode::kSessionExpired);
}

TEST_F(AccountsTest, AProfileUpdateIsStoredAndSeenBySessions) {
  auto r = accounts_->Register("ann", "password1", "Ann", "");
  ASSERT_TRUE(r.ok());
  auto p = accounts_->UpdateProfile(r->profile.id, "Annie", "https://example.com/a.png");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->display_name, "Annie");
  EXPECT_EQ(sessions_.Find(Sha256(r->token), clock_.NowMs())->avatar_url,
            "https://example.com/a.png");
  auto login = accounts_->Login("ann", "password1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->profile.display_name, "Annie");
}

TEST_F(AccountsTest, AFullSessionTableRefusesLoginsAndKeepsNoRow) {
  SessionTable tiny(1);
  auto accounts = OpenAccounts(tiny);
  ASSERT_TRUE(accounts->Register("ann", "password1", "", "").ok());
  EXPECT_EQ(accounts->Login("ann", "password1").status().code(), ErrorCode::kUnavailable);
  accounts.reset();
  SessionTable reloaded(100);
  auto again = OpenAccounts(reloaded);
  EXPECT_EQ(reloaded.size(), 1u);
}

}  // namespace
}  // namespace parley::auth
