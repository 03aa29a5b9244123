#include "protocol/ws/handshake.h"

#include <gtest/gtest.h>

namespace parley::ws {
namespace {

TEST(HandshakeTest, AcceptKeyMatchesRfc6455Example) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(HandshakeTest, AcceptKeyOfAnotherKey) {
  // A second pair, computed independently (Python hashlib + base64).
  EXPECT_EQ(AcceptKey("x3JJHMbDL1EzLkh9GBhXDw=="), "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

TEST(HandshakeTest, AcceptKeyIsTwentyEightBase64Chars) {
  const std::string accept = AcceptKey("AAAAAAAAAAAAAAAAAAAAAA==");
  EXPECT_EQ(accept.size(), 28u);
  EXPECT_EQ(accept.back(), '=');
}

TEST(HandshakeTest, ValidClientKeys) {
  EXPECT_TRUE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_TRUE(IsValidClientKey("AAAAAAAAAAAAAAAAAAAAAA=="));
  EXPECT_TRUE(IsValidClientKey("+/+/+/+/+/+/+/+/+/+/+w=="));
}

TEST(HandshakeTest, InvalidClientKeys) {
  EXPECT_FALSE(IsValidClientKey(""));
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZQ"));     // no padding
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZQ="));    // 23 chars
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZQ==="));  // 25 chars
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZQ=A"));   // bad padding
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZ==="));   // decodes to 15 bytes
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub 5jZQ=="));   // space
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub-5jZQ=="));   // base64url, not base64
  EXPECT_FALSE(IsValidClientKey("dGhlIHNhbXBsZSBub25jZSBi"));   // 18 bytes, no padding
  EXPECT_FALSE(IsValidClientKey("hello"));
}

}  // namespace
}  // namespace parley::ws
