#include "auth/credentials.h"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

net::HttpRequest Req(std::string auth_header, std::string target) {
  net::HttpRequest r;
  if (!auth_header.empty()) r.headers.emplace_back("authorization", std::move(auth_header));
  EXPECT_TRUE(net::ParseTarget(target, r.path, r.query));
  return r;
}

TEST(CredentialsTest, Bearer) {
  EXPECT_EQ(BearerCredential("Bearer abc"), "abc");
  EXPECT_EQ(BearerCredential("bearer   abc "), "abc");
  EXPECT_EQ(BearerCredential("Basic abc"), std::nullopt);
  EXPECT_EQ(BearerCredential("Bearer "), std::nullopt);
  EXPECT_EQ(BearerCredential("Bearer"), std::nullopt);
}

TEST(CredentialsTest, SortsByKind) {
  Credentials c = ReadCredentials(Req("Bearer pk_key", "/ws?token=a.b.c"));
  EXPECT_EQ(c.api_key, "pk_key");
  EXPECT_EQ(c.token, "a.b.c");
  c = ReadCredentials(Req("Bearer x.y.z", "/ws?apiKey=k"));
  EXPECT_EQ(c.api_key, "k");
  EXPECT_EQ(c.token, "x.y.z");
  c = ReadCredentials(Req("", "/ws"));
  EXPECT_EQ(c.api_key, "");
  EXPECT_EQ(c.token, "");
}

TEST(CredentialsTest, HeaderWinsOverQuery) {
  Credentials c = ReadCredentials(Req("Bearer header.jwt.here", "/ws?token=query.jwt.here"));
  EXPECT_EQ(c.token, "header.jwt.here");
}

TEST(CredentialsTest, ASessionComesAsBearerOrCookie) {
  Credentials c = ReadCredentials(Req("Bearer ps_tok", "/ws?apiKey=k"));
  EXPECT_EQ(c.session, "ps_tok");
  EXPECT_EQ(c.api_key, "k");
  EXPECT_EQ(c.token, "");
  net::HttpRequest r = Req("", "/ws");
  r.headers.emplace_back("Cookie", "a=b");
  r.headers.emplace_back("COOKIE", "parley_session=ps_cookie");
  EXPECT_EQ(ReadCredentials(r).session, "ps_cookie");
  // The header wins over the cookie; an empty cookie is no session.
  r.headers.emplace_back("Authorization", "Bearer ps_header");
  EXPECT_EQ(ReadCredentials(r).session, "ps_header");
  net::HttpRequest empty = Req("", "/ws");
  empty.headers.emplace_back("Cookie", "parley_session=");
  EXPECT_EQ(ReadCredentials(empty).session, "");
}

}  // namespace
}  // namespace parley::auth
