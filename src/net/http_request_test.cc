#include "net/http_request.h"

#include <gtest/gtest.h>

namespace parley::net {
namespace {

TEST(HttpRequestTest, DecodesPathAndQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> q;
  ASSERT_TRUE(ParseTarget("/ws?username=J%C3%BCrgen+K&room=dev-1&flag", path, q));
  EXPECT_EQ(path, "/ws");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"username", "Jürgen K"}));
  EXPECT_EQ(q[1].second, "dev-1");
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"flag", ""}));
}

TEST(HttpRequestTest, RejectsMalformedEscapes) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> q;
  EXPECT_FALSE(ParseTarget("/a?x=%", path, q));
  EXPECT_FALSE(ParseTarget("/a?x=%4", path, q));
  EXPECT_FALSE(ParseTarget("/a?x=%zz", path, q));
  EXPECT_FALSE(ParseTarget("/%", path, q));
}

TEST(HttpRequestTest, LookupsReturnFirstMatchAndHeadersIgnoreCase) {
  HttpRequest r;
  r.query = {{"room", "a"}, {"room", "b"}};
  r.headers = {{"Content-Type", "text/plain"}};
  EXPECT_EQ(r.Query("room"), "a");
  EXPECT_FALSE(r.Query("user").has_value());
  EXPECT_EQ(r.Header("content-type"), "text/plain");
  EXPECT_FALSE(r.Header("origin").has_value());
}

}  // namespace
}  // namespace parley::net
