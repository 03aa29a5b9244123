#include "match/match_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace parley::match {
namespace {

FieldRules Rules() {
  FieldRules r;
  r.max_field_chars = 8;
  r.max_text_bytes = 10;
  r.max_image_url_bytes = 12;
  r.modes = {"text", "emoji"};
  return r;
}

ErrorCode CodeOf(std::string_view body) {
  auto r = DecodeMatchRequest(body, Rules());
  return r.ok() ? ErrorCode::kOk : r.status().code();
}

TEST(MatchJsonTest, MatchRequestDecodesEveryField) {
  auto r = DecodeMatchRequest(
      R"({"userId":"u1","userName":"Ann","deviceId":"d","emotion":"😊","language":"English",)"
      R"("mode":"emoji"})",
      [] {
        FieldRules r = Rules();
        r.max_field_chars = 16;
        return r;
      }());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->user_id, "u1");
  EXPECT_EQ(r->user_name, "Ann");
  EXPECT_EQ(r->device_id, "d");
  EXPECT_EQ(r->filters.emotion, "😊");
  EXPECT_EQ(r->filters.mode, "emoji");
}

TEST(MatchJsonTest, BadMatchRequestsGetStableCodes) {
  EXPECT_EQ(CodeOf("not json"), ErrorCode::kBadRequest);
  EXPECT_EQ(CodeOf("[1]"), ErrorCode::kBadRequest);
  EXPECT_EQ(CodeOf(R"({"userName":"a"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":"a"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":"","userName":"a"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":7,"userName":"a"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":"123456789","userName":"a"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":"a:b","userName":"a"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":"a","userName":"a\nb"})"), ErrorCode::kInvalidField);
  EXPECT_EQ(CodeOf(R"({"userId":"a","userName":"b","mode":"video"})"), ErrorCode::kUnknownFilter);
  EXPECT_EQ(CodeOf(R"({"userId":"a","userName":"b","mode":"text"})"), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(R"({"userId":"a","userName":"b","emotion":null})"), ErrorCode::kOk);
  EXPECT_EQ(CodeOf(R"({"userId":"aéé","userName":"b"})"), ErrorCode::kOk) << "chars, not bytes";
}

TEST(MatchJsonTest, ClientFrames) {
  auto d = [](std::string_view s) { return DecodeClientFrame(s, Rules()); };
  EXPECT_EQ(d(R"({"type":"auth","apiKey":"k"})")->api_key, "k");
  EXPECT_EQ(d(R"({"type":"search"})")->type, ClientFrame::Type::kSearch);
  EXPECT_EQ(d(R"({"type":"search","mode":"text"})")->filters.mode, "text");
  EXPECT_EQ(d(R"({"type":"ping"})")->type, ClientFrame::Type::kPing);
  EXPECT_EQ(d(R"({"type":"end_chat"})")->type, ClientFrame::Type::kEndChat);
  auto m = d(R"({"type":"message","imageUrl":"https://x"})");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->text.has_value());
  EXPECT_EQ(*m->image_url, "https://x");
  EXPECT_EQ(d(R"({"type":"message"})").status().code(), ErrorCode::kInvalidField);
  EXPECT_EQ(d(R"({"type":"message","text":"01234567890"})").status().code(),
            ErrorCode::kMessageTooLarge);
  EXPECT_EQ(d(R"({"type":"message","imageUrl":"https://x/0123"})").status().code(),
            ErrorCode::kInvalidField);
  EXPECT_EQ(d(R"({"type":"dance"})").status().code(), ErrorCode::kUnknownType);
  EXPECT_EQ(d(R"({"kind":"ping"})").status().code(), ErrorCode::kBadRequest);
  EXPECT_EQ(d(R"({"type":"search","mode":"video"})").status().code(), ErrorCode::kUnknownFilter);
}

TEST(MatchJsonTest, EncodedFramesAreJsonWithTheSeedFields) {
  simdjson::dom::parser p;
  auto found = p.parse(EncodeMatchFound(Pairing{"chat:a:b", "a", "Ann"}, "ws://h/chat?x=1"));
  EXPECT_EQ(std::string_view(found["sessionId"]), "chat:a:b");
  EXPECT_EQ(bool(found["matched"]), true);
  auto msg = p.parse(EncodePairMessage(PairMessage{.from = "a", .text = "\"hi\"\n"}));
  EXPECT_EQ(std::string_view(msg["text"]), "\"hi\"\n");
  EXPECT_EQ(msg["imageUrl"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(SplitList(" a, b ,,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitList("").empty());
}

}  // namespace
}  // namespace parley::match
