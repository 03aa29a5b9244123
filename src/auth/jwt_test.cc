#include "auth/jwt.h"

#include <gtest/gtest.h>

#include "auth/base64url.h"
#include "auth/jwt_test_util.h"

namespace parley::auth {
namespace {

using testing_util::SigningInput;

// A token with any header and payload and a dummy signature (ParseJwt checks no keys).
std::string Token(std::string_view header, std::string_view payload) {
  return SigningInput(header, payload) + "." + Base64UrlEncode("sig");
}

constexpr std::string_view kHs = R"({"alg":"HS256","typ":"JWT"})";

TEST(JwtTest, ReadsClaims) {
  const std::string t =
      Token(kHs, R"({"sub":"u1","name":"Ann","exp":2000000000,"nbf":5,"rooms":["a","b"]})");
  auto r = ParseJwt(t, {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->alg, JwtAlg::kHs256);
  EXPECT_EQ(r->claims.sub, "u1");
  EXPECT_EQ(r->claims.name, "Ann");
  EXPECT_EQ(r->claims.exp, 2000000000);
  EXPECT_EQ(r->claims.nbf, 5);
  ASSERT_TRUE(r->claims.rooms.has_value());
  EXPECT_EQ(*r->claims.rooms, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r->signature, "sig");
  EXPECT_EQ(r->signing_input, t.substr(0, t.rfind('.')));
}

TEST(JwtTest, RoomsAndNameAreOptional) {
  auto r = ParseJwt(Token(R"({"alg":"RS256"})", R"({"sub":"u1","exp":1})"), {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->alg, JwtAlg::kRs256);
  EXPECT_FALSE(r->claims.rooms.has_value());
  EXPECT_EQ(r->claims.name, "");
}

TEST(JwtTest, RefusesOtherAlgorithms) {
  for (std::string_view h : {R"({"alg":"none"})", R"({"alg":"HS512"})", R"({"alg":"ES256"})",
                             R"({"typ":"JWT"})", R"({"alg":"HS256","crit":["x"]})"}) {
    auto r = ParseJwt(Token(h, R"({"sub":"u","exp":1})"), {});
    ASSERT_FALSE(r.ok()) << h;
    EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid) << h;
  }
}

TEST(JwtTest, RefusesMalformedTokens) {
  const std::string good = Token(kHs, R"({"sub":"u","exp":1})");
  const std::string cases[] = {
      "",
      "abc",
      "a.b",
      "a.b.c.d",
      good + "=",
      SigningInput(kHs, R"({"sub":"u","exp":1})") + ".",  // no signature
      Token("not json", R"({"sub":"u","exp":1})"),
      Token(kHs, "[1,2]"),
      Token(kHs, R"({"exp":1})"),                 // no sub
      Token(kHs, R"({"sub":"u"})"),               // no exp
      Token(kHs, R"({"sub":"","exp":1})"),        // empty sub
      Token(kHs, R"({"sub":7,"exp":1})"),         // sub not a string
      Token(kHs, R"({"sub":"u","exp":"soon"})"),  // exp not an integer
      Token(kHs, R"({"sub":"u","exp":-1})"),      // negative exp
      Token(kHs, R"({"sub":"u","exp":1,"rooms":"a"})"),
      Token(kHs, R"({"sub":"u","exp":1,"rooms":[1]})"),
      Token(kHs, "{\"sub\":\"\xff\",\"exp\":1}"),  // not UTF-8
  };
  for (const auto& t : cases) {
    auto r = ParseJwt(t, {});
    ASSERT_FALSE(r.ok()) << t;
    EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid) << t;
  }
}

TEST(JwtTest, EnforcesLimits) {
  JwtLimits limits{.max_token_bytes = 200, .max_rooms = 2, .max_field_bytes = 8};
  EXPECT_TRUE(ParseJwt(Token(kHs, R"({"sub":"u","exp":1,"rooms":["a","b"]})"), limits).ok());
  EXPECT_FALSE(ParseJwt(Token(kHs, R"({"sub":"u","exp":1,"rooms":["a","b","c"]})"), limits).ok());
  EXPECT_FALSE(ParseJwt(Token(kHs, R"({"sub":"123456789","exp":1})"), limits).ok());
  EXPECT_FALSE(
      ParseJwt(Token(kHs, R"({"sub":"u","exp":1,"pad":")" + std::string(200, 'x') + R"("})"),
               limits)
          .ok());
}

TEST(JwtTest, LooksLikeJwt) {
  EXPECT_TRUE(LooksLikeJwt("a.b.c"));
  EXPECT_FALSE(LooksLikeJwt("pk_abc"));
  EXPECT_FALSE(LooksLikeJwt("a.b"));
  EXPECT_FALSE(LooksLikeJwt("a.b c.d"));
}

}  // namespace
}  // namespace parley::auth
