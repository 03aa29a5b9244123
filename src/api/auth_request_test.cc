#include "api/auth_request.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

const AccountLimits kLimits{.max_username_chars = 8,
                            .min_password_bytes = 4,
                            .max_password_bytes = 10,
                            .max_avatar_url_bytes = 40};

ErrorCode LoginCode(std::string_view body) {
  return ParseCredentialsRequest(body, kLimits, false).status().code();
}

TEST(AuthRequestTest, LoginNeedsAUsernameAndAPassword) {
  auto r = ParseCredentialsRequest(R"({"username":"ann","password":"secret1"})", kLimits, false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->username, "ann");
  EXPECT_EQ(r->password, "secret1");
  EXPECT_EQ(LoginCode(R"({"password":"secret1"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(LoginCode(R"({"username":"ann"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(LoginCode(R"({"username":"ann","password":12345})"), ErrorCode::kInvalidField);
}

TEST(AuthRequestTest, UsernamesFollowParleysRules) {
  EXPECT_EQ(LoginCode(R"({"username":"","password":"secret1"})"), ErrorCode::kInvalidUsername);
  EXPECT_EQ(LoginCode(R"({"username":"waytoolongname","password":"secret1"})"),
            ErrorCode::kInvalidUsername);
  EXPECT_EQ(LoginCode(R"({"username":"a\u0001b","password":"secret1"})"),
            ErrorCode::kInvalidUsername);
}

TEST(AuthRequestTest, PasswordLengthIsBounded) {
  EXPECT_EQ(LoginCode(R"({"username":"ann","password":"abc"})"), ErrorCode::kInvalidPassword);
  EXPECT_EQ(LoginCode(R"({"username":"ann","password":"abcdefghijk"})"),
            ErrorCode::kInvalidPassword);
  EXPECT_EQ(LoginCode(R"({"username":"ann","password":"abcd"})"), ErrorCode::kOk);
  EXPECT_EQ(LoginCode(R"({"username":"ann","password":"abcdefghij"})"), ErrorCode::kOk);
}

TEST(AuthRequestTest, NotAnObjectIsABadRequest) {
  EXPECT_EQ(LoginCode(""), ErrorCode::kBadRequest);
  EXPECT_EQ(LoginCode("[1]"), ErrorCode::kBadRequest);
  EXPECT_EQ(LoginCode("{\"username\":"), ErrorCode::kBadRequest);
}

TEST(AuthRequestTest, RegisterReadsTheProfile) {
  auto r = ParseCredentialsRequest(
      R"({"username":"ann","password":"secret1","displayName":"Ann A","avatarUrl":"/files/ab"})",
      kLimits, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->display_name, "Ann A");
  EXPECT_EQ(r->avatar_url, "/files/ab");
  auto bare = ParseCredentialsRequest(R"({"username":"ann","password":"secret1"})", kLimits, true);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->display_name, "");
}

TEST(AuthRequestTest, ProfileFieldsAreChecked) {
  auto code = [](std::string_view body) {
    return ParseProfileRequest(body, kLimits).status().code();
  };
  EXPECT_EQ(code(R"({"displayName":"way too long name"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(code(R"({"avatarUrl":"javascript:alert"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(code(R"({"avatarUrl":"https://x.io/a b.png"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(code(R"({"avatarUrl":"https://example.com/a/very/long/path/avatar.png"})"),
            ErrorCode::kInvalidField);
  EXPECT_EQ(code(R"({"displayName":7})"), ErrorCode::kInvalidField);
  auto clear = ParseProfileRequest(R"({"displayName":"","avatarUrl":""})", kLimits);
  ASSERT_TRUE(clear.ok());
  EXPECT_EQ(clear->display_name, "");
  auto none = ParseProfileRequest("{}", kLimits);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->display_name.has_value());
  EXPECT_FALSE(none->avatar_url.has_value());
}

}  // namespace
}  // namespace parley::api
