#include "api/seed003_request.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

using Type = Seed003Request::Type;

class Seed003RequestTest : public ::testing::Test {
 protected:
  std::string Code(std::string_view json) {
    auto r = DecodeSeed003Frame(json, limits_);
    return r.ok() ? "ok" : std::string(r.status().wire_name());
  }
  Seed003Limits limits_{.max_field_chars = 16,
                        .max_room_chars = 16,
                        .max_message_bytes = 20,
                        .max_domain_chars = 16,
                        .max_visitor_data_bytes = 40};
};

TEST_F(Seed003RequestTest, ReadsTheSeedsJoinAndSendMessage) {
  auto j = DecodeSeed003Frame(
      R"({"type":"join-room","roomId":"room-123","userId":"user-456","userName":"John Doe"})",
      limits_);
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_EQ(j->type, Type::kJoinRoom);
  EXPECT_EQ(j->room_id, "room-123");
  EXPECT_EQ(j->user_id, "user-456");
  EXPECT_EQ(j->user_name, "John Doe");
  auto m = DecodeSeed003Frame(R"({"type":"send-message","roomId":"room-123","message":"Hello",)"
                              R"("userId":"someone-else","userName":"Mallory","role":"user"})",
                              limits_);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->type, Type::kSendMessage);
  EXPECT_EQ(m->message, "Hello");
  EXPECT_EQ(m->role, "user");
  EXPECT_TRUE(m->user_id.empty()) << "the author comes from the join, not from the message";
  EXPECT_TRUE(m->user_name.empty());
}

TEST_F(Seed003RequestTest, RefusesBadFieldsWithTheirCodes) {
  EXPECT_EQ(Code("not json"), "bad_request");
  EXPECT_EQ(Code(R"({"roomId":"a"})"), "bad_request");
  EXPECT_EQ(Code(R"({"type":"join-room","roomId":"a b","userId":"u","userName":"n"})"),
            "invalid_room");
  EXPECT_EQ(Code(R"({"type":"join-room","roomId":"a","userId":"u"})"), "invalid_field");
  EXPECT_EQ(Code(R"({"type":"join-room","roomId":"a","userId":"u","userName":" "})"),
            "invalid_username");
  EXPECT_EQ(Code(R"({"type":"send-message","roomId":"a","message":"   "})"), "empty_message");
  EXPECT_EQ(Code(R"({"type":"send-message","roomId":"a","message":"012345678901234567890"})"),
            "message_too_large");
  EXPECT_EQ(Code(R"({"type":"send-message","roomId":"a","message":"hi","role":"system"})"),
            "invalid_field");
  EXPECT_EQ(Code(R"({"type":"get-domain-stats","domainId":"a/b"})"), "invalid_domain");
  EXPECT_EQ(Code(R"({"type":"get-domain-stats","domainId":"0123456789abcdefg"})"),
            "invalid_domain");
  EXPECT_EQ(Code(R"({"type":"visitor-joined-domain","domainId":"a.com","visitorId":"v",)"
                 R"("visitorData":{"userAgent":"0123456789012345678901234567890123456789"}})"),
            "visitor_data_too_large");
}

TEST_F(Seed003RequestTest, OtherVocabulariesAndTheAiRequestsAreRecognised) {
  auto auth = DecodeSeed003Frame(R"({"type":"auth","apiKey":"k"})", limits_);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->type, Type::kForeign);
  EXPECT_EQ(auth->type_name, "auth");
  EXPECT_FALSE(IsSeed003Frame(R"({"type":"auth","apiKey":"k"})"));
  EXPECT_FALSE(IsSeed003Frame(R"({"type":"search"})"));
  EXPECT_TRUE(IsSeed003Frame(R"({"type":"join-room"})")) << "even with fields missing";
  EXPECT_TRUE(IsSeed003Frame(R"({"type":"ai-chat","message":"What is AI?"})"));
  EXPECT_EQ(Code(R"({"type":"ai-stream","message":"x"})"), "ok");
}

TEST_F(Seed003RequestTest, VisitorBodiesKeepVisitorDataAsCompactJson) {
  auto add = DecodeVisitorBody(
      R"({"domainId":"weeziq.com","visitorId":"v-1","visitorData":{ "page" : "/pricing",)"
      R"( "userAgent":"UA" }})",
      true, limits_);
  ASSERT_TRUE(add.ok()) << add.status().message();
  EXPECT_EQ(add->domain_id, "weeziq.com");
  EXPECT_EQ(add->visitor_id, "v-1");
  EXPECT_EQ(add->visitor_data, R"({"page":"/pricing","userAgent":"UA"})");
  EXPECT_EQ(add->page, "/pricing");
  EXPECT_EQ(add->user_agent, "UA");
  auto remove = DecodeVisitorBody(R"({"domainId":"weeziq.com","visitorId":"v-1"})", false, limits_);
  ASSERT_TRUE(remove.ok());
  auto missing = DecodeVisitorBody(R"({"visitorId":"v-1"})", false, limits_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidDomain);
  auto no_visitor = DecodeVisitorBody(R"({"domainId":"a.com"})", true, limits_);
  ASSERT_FALSE(no_visitor.ok());
  EXPECT_EQ(no_visitor.status().code(), ErrorCode::kInvalidField);
}

}  // namespace
}  // namespace parley::api
