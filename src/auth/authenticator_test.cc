#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include "auth/jwt_test_util.h"

namespace parley::auth {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

net::HttpRequest Req(std::string target, std::string bearer = "") {
  net::HttpRequest r;
  if (!bearer.empty()) r.headers.emplace_back("Authorization", "Bearer " + bearer);
  EXPECT_TRUE(net::ParseTarget(target, r.path, r.query));
  return r;
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  Authenticator Make(bool require_key) {
    ApiKeyRing keys;
    keys.AddPlain("web", "web-key");
    auto jwt = JwtVerifier::Create(JwtOptions{.hs256_secret = std::string(kSecret)});
    EXPECT_TRUE(jwt.ok());
    auto rooms = RoomAccess::Parse("staff=alice");
    EXPECT_TRUE(rooms.ok());
    return Authenticator(std::move(keys), std::move(jwt).value(), std::move(rooms).value(),
                         require_key, clock_);
  }
  ManualClock clock_{1'700'000'000'000};
};

TEST_F(AuthenticatorTest, KeysWhenRequired) {
  Authenticator a = Make(true);
  EXPECT_EQ(a.Authenticate(Req("/ws")).status().code(), ErrorCode::kApiKeyRequired);
  EXPECT_TRUE(a.Authenticate(Req("/ws"), /*key_may_follow=*/true).ok());
  EXPECT_EQ(a.Authenticate(Req("/ws?apiKey=nope")).status().code(), ErrorCode::kInvalidApiKey);
  auto ok = a.Authenticate(Req("/ws", "web-key"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->app, "web");
  EXPECT_FALSE(ok->is_user());
}

TEST_F(AuthenticatorTest, AWrongKeyIsRefusedEvenWhenNotRequired) {
  Authenticator a = Make(false);
  EXPECT_TRUE(a.Authenticate(Req("/ws")).ok());
  EXPECT_EQ(a.Authenticate(Req("/ws?apiKey=nope")).status().code(), ErrorCode::kInvalidApiKey);
}

TEST_F(AuthenticatorTest, TokensMakeAUser) {
  Authenticator a = Make(false);
  const std::string t =
      testing_util::SignHs256(kSecret, R"({"sub":"alice","name":"Alice","exp":1700000600})");
  auto who = a.Authenticate(Req("/ws?token=" + t));
  ASSERT_TRUE(who.ok()) << who.status().message();
  EXPECT_TRUE(who->is_user());
  EXPECT_EQ(who->user_id, "alice");
  EXPECT_EQ(who->display_name, "Alice");
  EXPECT_TRUE(a.CheckRoom(*who, "staff").ok());
  clock_.Advance(3'600'000);
  EXPECT_EQ(a.Authenticate(Req("/ws", t)).status().code(), ErrorCode::kTokenExpired);
}

TEST_F(AuthenticatorTest, ASessionCookieOrBearerIsTheAccount) {
  Authenticator a = Make(false);
  SessionTable sessions(10);
  a.set_sessions(&sessions);
  const AccountProfile ann{
      .id = "id1", .username = "ann", .display_name = "Ann", .avatar_url = "/files/x"};
  ASSERT_TRUE(sessions.Insert(Sha256("ps_live"), ann, clock_.NowMs() + 1000, clock_.NowMs()));
  ASSERT_TRUE(sessions.Insert(Sha256("ps_old"), ann, clock_.NowMs(), clock_.NowMs() - 1));

  net::HttpRequest cookie = Req("/ws?username=mallory");
  cookie.headers.emplace_back("Cookie", "x=1; parley_session=ps_live");
  auto who = a.Authenticate(cookie);
  ASSERT_TRUE(who.ok()) << who.status().message();
  EXPECT_EQ(who->kind, Identity::Kind::kAccount);
  EXPECT_EQ(who->user_id, "ann");
  EXPECT_EQ(who->display_name, "Ann");
  EXPECT_EQ(who->account_id, "id1");
  EXPECT_EQ(who->avatar_url, "/files/x");
  EXPECT_TRUE(a.Authenticate(Req("/ws", "ps_live")).ok());
  EXPECT_EQ(a.Authenticate(Req("/ws", "ps_old")).status().code(), ErrorCode::kSessionExpired);
  EXPECT_EQ(a.Authenticate(Req("/ws", "ps_never")).status().code(), ErrorCode::kSessionInvalid);
  // A JWT sent alongside wins.
  net::HttpRequest both =
      Req("/ws", testing_util::SignHs256(kSecret, R"({"sub":"bob","exp":1800000000})"));
  both.headers.emplace_back("Cookie", "parley_session=ps_live");
  ASSERT_TRUE(a.Authenticate(both).ok());
  EXPECT_EQ(a.Authenticate(both)->user_id, "bob");
}

TEST_F(AuthenticatorTest, WithAccountsOffASessionCookieIsIgnored) {
  Authenticator a = Make(false);
  net::HttpRequest cookie = Req("/ws");
  cookie.headers.emplace_back("Cookie", "parley_session=ps_whatever");
  auto who = a.Authenticate(cookie);
  ASSERT_TRUE(who.ok());
  EXPECT_FALSE(who->is_user());
}

}  // namespace
}  // namespace parley::auth
