#include "api/message_request.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

LimitsConfig Limits() {
  LimitsConfig l;
  l.max_message_bytes = 16;
  l.max_client_id_bytes = 8;
  l.max_username_chars = 5;
  l.max_emoji_bytes = 8;
  return l;
}

ErrorCode PostCode(std::string_view body, std::optional<std::string_view> key = std::nullopt) {
  auto r = ParsePostMessageBody(body, Limits(), key);
  return r.ok() ? ErrorCode::kOk : r.status().code();
}

ErrorCode ReactCode(std::string_view body) {
  auto r = ParseReactBody(body, Limits());
  return r.ok() ? ErrorCode::kOk : r.status().code();
}

TEST(PostMessageBodyTest, ContentIsSeed002sNameAndTextTheSockets) {
  auto a = ParsePostMessageBody(R"({"room":"r1","content":"hi","username":"ann"})", Limits(), {});
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->room, "r1");
  EXPECT_EQ(a->text, "hi");
  EXPECT_EQ(a->username, "ann");
  EXPECT_EQ(a->client_id, "");
  auto b = ParsePostMessageBody(
      R"({"room":"r1","text":"yo","clientId":"k1","replyTo":"abc","imageUrl":"/files/x"})",
      Limits(), {});
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->text, "yo");
  EXPECT_EQ(b->client_id, "k1");
  EXPECT_EQ(b->reply_to, "abc");
  EXPECT_EQ(b->image_url, "/files/x");
  EXPECT_EQ(PostCode(R"({"room":"r1","content":"a","text":"b"})"), ErrorCode::kInvalidField);
}

TEST(PostMessageBodyTest, TheIdempotencyKeyComesFromTheBodyOrTheHeaderAndMustAgree) {
  auto h = ParsePostMessageBody(R"({"room":"r","text":"x"})", Limits(), "key-1");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->client_id, "key-1");
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x","clientId":"a"})", "a"), ErrorCode::kOk);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x","clientId":"a"})", "b"), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x"})", "123456789"), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x"})", ""), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x","clientId":"123456789"})"),
            ErrorCode::kInvalidField);
}

TEST(PostMessageBodyTest, RefusalsCarryTheSocketsCodes) {
  EXPECT_EQ(PostCode(""), ErrorCode::kBadRequest);
  EXPECT_EQ(PostCode("[1]"), ErrorCode::kBadRequest);
  EXPECT_EQ(PostCode("{\"room\":\"r\",\"text\":\"\xff\"}"), ErrorCode::kBadRequest);
  EXPECT_EQ(PostCode(R"({"text":"x"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r","text":5})"), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"a b","text":"x"})"), ErrorCode::kInvalidRoom);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"   "})"), ErrorCode::kEmptyMessage);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"12345678901234567"})"), ErrorCode::kMessageTooLarge);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"","imageUrl":"https://x/y.png"})"), ErrorCode::kOk);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x","imageUrl":"javascript:1"})"),
            ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x","username":7})"), ErrorCode::kInvalidField);
  EXPECT_EQ(PostCode(R"({"room":"r","text":"x","username":"abcdefghijklmnopqrstu"})"),
            ErrorCode::kInvalidUsername);
}

TEST(ReactBodyTest, ParsesAndRefuses) {
  auto r = ParseReactBody(R"({"room":"r","emoji":"👍","username":"bo"})", Limits());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->emoji, "👍");
  EXPECT_EQ(r->username, "bo");
  EXPECT_EQ(ReactCode(R"({"room":"r"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(ReactCode(R"({"room":"r","emoji":"a b"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(ReactCode(R"({"room":"r","emoji":"123456789"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(ReactCode(R"({"emoji":"x"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(ReactCode("nope"), ErrorCode::kBadRequest);
}

TEST(ReactPathIdTest, OnlyTheReactRouteWithOneId) {
  EXPECT_EQ(ReactPathId("/api/messages/00ab/react"), "00ab");
  EXPECT_FALSE(ReactPathId("/api/messages//react"));
  EXPECT_FALSE(ReactPathId("/api/messages/a/b/react"));
  EXPECT_FALSE(ReactPathId("/api/messages/react"));
  EXPECT_FALSE(ReactPathId("/api/messages/x/reactx"));
  EXPECT_FALSE(ReactPathId("/api/messages/" + std::string(65, 'a') + "/react"));
}

}  // namespace
}  // namespace parley::api
