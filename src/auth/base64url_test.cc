#include "auth/base64url.h"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded.has_value()) << i;
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37 + 250);
  }
}

TEST(Base64UrlTest, KnownVectors) {
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff"));
}

TEST(Base64UrlTest, RefusesWhatNoEncoderWrites) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());     // 4k+1 characters
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());    // non-zero unused bits
  EXPECT_FALSE(Base64UrlDecode("+/8").has_value());   // the other alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 9").has_value());
  EXPECT_EQ(Base64UrlDecode(""), std::string());
}

}  // namespace
}  // namespace parley::auth
