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

}  // namespace
}  // namespace parley::auth
