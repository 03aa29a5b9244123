#include "auth/jwt_verifier.h"

#include <gtest/gtest.h>

#include "auth/base64url.h"
#include "auth/jwt_test_util.h"

namespace parley::auth {
namespace {

using testing_util::RsaKey;
using testing_util::SignHs256;

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";
constexpr int64_t kNow = 1'700'000'000;
constexpr std::string_view kClaims = R"({"sub":"u1","name":"Ann","exp":1700000600})";

JwtVerifier Make(std::string secret, std::string pem = "") {
  auto v = JwtVerifier::Create(
      JwtOptions{.hs256_secret = std::move(secret), .rs256_public_key_pem = std::move(pem)});
  EXPECT_TRUE(v.ok()) << v.status().message();
  return std::move(v).value();
}

TEST(JwtVerifierTest, AcceptsAGoodHs256Token) {
  auto r = Make(std::string(kSecret)).Verify(SignHs256(kSecret, kClaims), kNow);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->sub, "u1");
  EXPECT_EQ(r->name, "Ann");
}

TEST(JwtVerifierTest, RefusesAWrongSecret) {
  auto r = Make(std::string(kSecret))
               .Verify(SignHs256("another secret of 32 bytes......", kClaims), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid);
}

TEST(JwtVerifierTest, RefusesAlgNoneWithAnEmptySignature) {
  const std::string none = Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(kClaims);
  for (const std::string& t : {none + ".", none + "." + Base64UrlEncode("x")}) {
    auto r = Make(std::string(kSecret)).Verify(t, kNow);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid);
  }
}

TEST(JwtVerifierTest, ExpiryWithLeeway) {
  JwtVerifier v = Make(std::string(kSecret));
  const std::string t = SignHs256(kSecret, kClaims);
  EXPECT_TRUE(v.Verify(t, 1700000600 + 29).ok());  // within the default 30 s leeway
  auto r = v.Verify(t, 1700000600 + 30);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTokenExpired);
}

TEST(JwtVerifierTest, ForgedAndExpiredIsInvalidNotExpired) {
  auto r = Make(std::string(kSecret))
               .Verify(SignHs256("another secret of 32 bytes......", kClaims), kNow + 100000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid);
}

TEST(JwtVerifierTest, NotBefore) {
  auto r =
      Make(std::string(kSecret))
          .Verify(SignHs256(kSecret, R"({"sub":"u","exp":1800000000,"nbf":1700001000})"), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid);
}

TEST(JwtVerifierTest, HugeTimesDoNotOverflow) {
  JwtVerifier v = Make(std::string(kSecret));
  EXPECT_TRUE(v.Verify(SignHs256(kSecret, R"({"sub":"u","exp":9223372036854775807})"), kNow).ok());
  EXPECT_FALSE(
      v.Verify(SignHs256(kSecret, R"({"sub":"u","exp":1,"nbf":9223372036854775807})"), kNow).ok());
}

TEST(JwtVerifierTest, Rs256) {
  RsaKey key;
  RsaKey other;
  JwtVerifier v = Make("", key.PublicPem());
  EXPECT_TRUE(v.Verify(key.Sign(kClaims), kNow).ok());
  auto forged = v.Verify(other.Sign(kClaims), kNow);
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.status().code(), ErrorCode::kTokenInvalid);
  // HS256 is off: no secret configured. Signing with the public key as an HMAC secret (the
  // algorithm-confusion attack) is therefore refused.
  auto confused = v.Verify(SignHs256(key.PublicPem(), kClaims), kNow);
  ASSERT_FALSE(confused.ok());
  EXPECT_EQ(confused.status().code(), ErrorCode::kTokenInvalid);
}

TEST(JwtVerifierTest, RefusesRs256WhenOnlyHs256IsConfigured) {
  RsaKey key;
  auto r = Make(std::string(kSecret)).Verify(key.Sign(kClaims), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTokenInvalid);
}

TEST(JwtVerifierTest, BadConfiguration) {
  EXPECT_FALSE(JwtVerifier::Create(JwtOptions{.hs256_secret = "short"}).ok());
  EXPECT_FALSE(JwtVerifier::Create(JwtOptions{.rs256_public_key_pem = "not a pem"}).ok());
  EXPECT_FALSE(JwtVerifier().enabled());
}

}  // namespace
}  // namespace parley::auth
