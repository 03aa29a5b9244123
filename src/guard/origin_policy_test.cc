#include "guard/origin_policy.h"

#include <gtest/gtest.h>

namespace parley::guard {
namespace {

OriginPolicy Policy(std::string_view list) {
  auto p = OriginPolicy::Parse(list);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : OriginPolicy();
}

TEST(OriginPolicy, SameOriginIsAlwaysAllowed) {
  const OriginPolicy p = Policy("");
  EXPECT_TRUE(p.Allows("http://chat.example.com:8787", "chat.example.com:8787"));
  EXPECT_TRUE(p.Allows("https://chat.example.com", "chat.example.com"));
  EXPECT_TRUE(p.Allows("http://Chat.Example.com", "chat.example.com:80"));
  EXPECT_FALSE(p.Allows("http://chat.example.com:9999", "chat.example.com:8787"));
  EXPECT_FALSE(p.Allows("https://evil.example", "chat.example.com"));
}

TEST(OriginPolicy, DefaultListAllowsLocalPagesOnAnyPort) {
  const OriginPolicy p = Policy(OriginPolicy::kDefaultList);
  EXPECT_TRUE(p.Allows("http://localhost:3000", "chat.example.com"));
  EXPECT_TRUE(p.Allows("http://localhost", "chat.example.com"));
  EXPECT_TRUE(p.Allows("http://127.0.0.1:5173", "chat.example.com"));
  EXPECT_FALSE(p.Allows("https://localhost:3000", "chat.example.com"));
  EXPECT_FALSE(p.Allows("http://localhost.evil.example", "chat.example.com"));
  EXPECT_FALSE(p.Allows("http://127.0.0.1.evil.example", "chat.example.com"));
}

TEST(OriginPolicy, ExactEntriesAndWildcard) {
  const OriginPolicy p = Policy(" https://app.example.com , http://[::1]:8080");
  EXPECT_TRUE(p.Allows("https://app.example.com", "api.example.com"));
  EXPECT_TRUE(p.Allows("https://app.example.com:443", "api.example.com"));
  EXPECT_FALSE(p.Allows("http://app.example.com", "api.example.com"));
  EXPECT_TRUE(p.Allows("http://[::1]:8080", "api.example.com"));
  EXPECT_TRUE(Policy("*").Allows("https://anything.example", "x"));
}

TEST(OriginPolicy, NullAndMalformedOriginsAreForeign) {
  const OriginPolicy p = Policy(OriginPolicy::kDefaultList);
  EXPECT_FALSE(p.Allows("null", "localhost:8787"));
  EXPECT_FALSE(p.Allows("", "localhost:8787"));
  EXPECT_FALSE(p.Allows("http://localhost:8787/path", "localhost:8787"));
  EXPECT_FALSE(p.Allows("file://", "localhost:8787"));
  EXPECT_FALSE(p.Allows("http://localhost:99999", "localhost:8787"));
  EXPECT_FALSE(p.Allows("http://localhost:*", "localhost:8787"));
}

TEST(OriginPolicy, BadListEntriesFailNamingThem) {
  for (std::string_view bad : {"example.com", "ftp://example.com", "https://example.com/",
                               "https://", "https://a b", "https://x:0"}) {
    auto p = OriginPolicy::Parse(bad);
    EXPECT_FALSE(p.ok()) << bad;
  }
  auto p = OriginPolicy::Parse("https://ok.example,nope");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("nope"), std::string::npos);
}

}  // namespace
}  // namespace parley::guard
