#include "api/native_request.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

class NativeRequestTest : public ::testing::Test {
 protected:
  Result<NativeRequest> Parse(std::string_view json) {
    ref_.clear();
    return ParseNativeRequest(json, limits_, ref_);
  }
  std::string Code(std::string_view json) {
    auto r = Parse(json);
    return r.ok() ? "ok" : std::string(r.status().wire_name());
  }
  LimitsConfig limits_;
  std::string ref_;
};

TEST_F(NativeRequestTest, ReadsAMessageWithEveryField) {
  auto r = Parse(R"({"type":"message","room":"general","text":"hi","clientId":"c-1",)"
                 R"("replyTo":"01a2","imageUrl":"/files/abc"})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->type, NativeRequest::Type::kMessage);
  EXPECT_EQ(r->room, "general");
  EXPECT_EQ(r->text, "hi");
  EXPECT_EQ(r->client_id, "c-1");
  EXPECT_EQ(r->ref, "c-1") << "a message's errors point at its clientId";
  EXPECT_EQ(r->reply_to, "01a2");
  EXPECT_EQ(r->image_url, "/files/abc");
}

TEST_F(NativeRequestTest, ReadsJoinSinceAndHistoryPaging) {
  auto j = Parse(R"({"type":"join","room":"a","since":41})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->since, 41);
  auto plain = Parse(R"({"type":"join","room":"a"})");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->since.has_value());

  auto h = Parse(R"({"type":"history","room":"a","before":90,"limit":100000})");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->before, 90);
  EXPECT_EQ(h->limit, limits_.max_history_page) << "a larger limit is clamped";
}

TEST_F(NativeRequestTest, PingNeedsNoRoom) { EXPECT_EQ(Code(R"({"type":"ping"})"), "ok"); }

TEST_F(NativeRequestTest, BadFramesGetStableCodes) {
  EXPECT_EQ(Code("hello"), "bad_request");
  EXPECT_EQ(Code("[1,2]"), "bad_request");
  EXPECT_EQ(Code(R"({"room":"a"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"shout","room":"a"})"), "unknown_type");
  EXPECT_EQ(Code(R"({"type":"join"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"join","room":"no spaces"})"), "invalid_room");
  EXPECT_EQ(Code(R"({"type":"join","room":"a","since":-1})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"join","room":"a","since":"4"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"message","room":"a","text":"hi"})"), "invalid_field")
      << "clientId is required";
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c","text":"   "})"), "empty_message");
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c","text":7})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"typing","room":"a","active":"yes"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"react","room":"a","messageId":"m","emoji":"a b"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"read","room":"a"})"), "invalid_field");
}

TEST_F(NativeRequestTest, LimitsComeFromTheConfig) {
  limits_.max_message_bytes = 5;
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c","text":"123456"})"),
            "message_too_large");
  EXPECT_EQ(Code(R"({"type":"edit","room":"a","messageId":"m","text":"123456"})"),
            "message_too_large");
  limits_.max_client_id_bytes = 3;
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"abcd","text":"x"})"), "invalid_field");
  limits_.max_emoji_bytes = 4;
  EXPECT_EQ(Code(R"({"type":"react","room":"a","messageId":"m","emoji":"👍👍"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"react","room":"a","messageId":"m","emoji":"👍"})"), "ok");
}

TEST_F(NativeRequestTest, ImageUrlsAreLinksNotScripts) {
  const auto msg = [](std::string_view url) {
    return std::string(R"({"type":"message","room":"a","clientId":"c","text":"x","imageUrl":")") +
           std::string(url) + "\"}";
  };
  EXPECT_EQ(Code(msg("https://example.com/a.png")), "ok");
  EXPECT_EQ(Code(msg("javascript:alert(1)")), "invalid_field");
  EXPECT_EQ(Code(msg("data:image/png;base64,AAAA")), "invalid_field");
}

TEST_F(NativeRequestTest, AnImageMayGoWithoutText) {
  const std::string image = "/files/" + std::string(64, 'a');
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c","text":"","imageUrl":")" + image +
                 R"("})"),
            "ok");
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c","text":" "})"), "empty_message");
  EXPECT_EQ(Code(R"({"type":"message","room":"a","clientId":"c","imageUrl":"/files/x"})"),
            "invalid_field")
      << "text is still required, if only empty";
}

TEST_F(NativeRequestTest, AnErrorKeepsTheRequestsRef) {
  auto r = Parse(R"({"type":"edit","room":"a","messageId":"m","ref":"r-9"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ref_, "r-9");
  r = Parse(R"({"type":"message","room":"a","clientId":"c-2","text":""})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ref_, "c-2");
}

}  // namespace
}  // namespace parley::api
