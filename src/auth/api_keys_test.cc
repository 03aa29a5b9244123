#include "auth/api_keys.h"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

TEST(ApiKeysTest, Sha256KnownVector) {
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeysTest, NewKeysAreLongAndDistinct) {
  const std::string a = NewApiKey();
  const std::string b = NewApiKey();
  EXPECT_EQ(a.size(), 3u + 43u);
  EXPECT_EQ(a.substr(0, 3), "pk_");
  EXPECT_NE(a, b);
}

TEST(ApiKeysTest, RingFindsPlainAndHashedKeys) {
  ApiKeyRing ring;
  ring.AddPlain("web", "web-secret");
  ring.AddPlain("mobile", "");  // unset
  ASSERT_TRUE(ring.AddList(" tv:" + ToHex(Sha256("tv-secret")) + " ,").ok());
  EXPECT_EQ(ring.size(), 2u);
  EXPECT_EQ(ring.Find("web-secret"), "web");
  EXPECT_EQ(ring.Find("tv-secret"), "tv");
  EXPECT_EQ(ring.Find("web-secreT"), std::nullopt);
  EXPECT_EQ(ring.Find(""), std::nullopt);
}

TEST(ApiKeysTest, BadListEntriesDoNotEchoTheEntry) {
  ApiKeyRing ring;
  Status st = ring.AddList("pk_plain_key_pasted_by_mistake");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().find("pk_plain"), std::string::npos) << st.message();
  EXPECT_FALSE(ring.AddList("Web:" + ToHex(Sha256("x"))).ok());  // upper case name
  EXPECT_FALSE(ring.AddList("web:abcd").ok());
}

TEST(ApiKeysTest, AppNames) {
  EXPECT_TRUE(ValidAppName("web"));
  EXPECT_TRUE(ValidAppName("ios-app_2"));
  EXPECT_FALSE(ValidAppName(""));
  EXPECT_FALSE(ValidAppName("Web"));
  EXPECT_FALSE(ValidAppName(std::string(33, 'a')));
}

}  // namespace
}  // namespace parley::auth
