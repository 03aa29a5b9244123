#include "ai/openai_wire.h"

#include <gtest/gtest.h>

namespace parley::ai {
namespace {

TEST(OpenAiWireTest, EncodesTheRequest) {
  ChatRequest r{.model = "gpt-4",
                .messages = {{"system", "Be brief."}, {"user", "Say \"hi\"\n"}},
                .max_tokens = 64,
                .stream = true};
  EXPECT_EQ(EncodeChatRequest(r),
            R"({"model":"gpt-4","messages":[{"role":"system","content":"Be brief."},)"
            R"({"role":"user","content":"Say \"hi\"\n"}],"max_tokens":64,"stream":true})");
}

TEST(OpenAiWireTest, DecodesAnAnswer) {
  auto a = DecodeChatAnswer(
      R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},)"
      R"("finish_reason":"stop"}]})",
      "");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, "Hello!");
}

TEST(OpenAiWireTest, RefusesAnswersOfTheWrongShape) {
  for (const char* body :
       {"", "not json", "{}", R"({"choices":[]})", R"({"choices":[{"message":{"content":5}}]})"}) {
    auto a = DecodeChatAnswer(body, "");
    ASSERT_FALSE(a.ok()) << body;
    EXPECT_EQ(a.status().code(), ErrorCode::kAiProviderError);
  }
}

TEST(OpenAiWireTest, DecodesStreamChunks) {
  EXPECT_EQ(*DecodeStreamChunk(R"({"choices":[{"delta":{"content":"Hel"}}]})", ""), "Hel");
  EXPECT_EQ(*DecodeStreamChunk(R"({"choices":[{"delta":{"role":"assistant"}}]})", ""), "");
  EXPECT_EQ(*DecodeStreamChunk(R"({"choices":[{"delta":{},"finish_reason":"stop"}]})", ""), "");
  EXPECT_EQ(*DecodeStreamChunk(R"({"choices":[],"usage":{"total_tokens":3}})", ""), "");
  EXPECT_EQ(*DecodeStreamChunk(R"({"choices":[{"delta":{"content":null}}]})", ""), "");
  EXPECT_TRUE(IsStreamDone("[DONE]"));
  EXPECT_FALSE(IsStreamDone("[DONE] "));
}

TEST(OpenAiWireTest, MalformedAndErrorChunks) {
  EXPECT_EQ(DecodeStreamChunk("{oops", "").status().code(), ErrorCode::kAiProviderError);
  EXPECT_EQ(DecodeStreamChunk(R"({"nothing":1})", "").status().code(), ErrorCode::kAiProviderError);
  auto err = DecodeStreamChunk(R"({"error":{"message":"overloaded, key sk-123"}})", "sk-123");
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find("overloaded"), std::string::npos);
  EXPECT_EQ(err.status().message().find("sk-123"), std::string::npos);
}

TEST(OpenAiWireTest, ProviderErrorsNeverQuoteTheKey) {
  const std::string key = "sk-live-abcdef";
  const std::string body =
      R"({"error":{"message":"Incorrect API key provided: sk-live-abcdef. Check it.",)"
      R"("type":"invalid_request_error"}})";
  const std::string s = DescribeProviderError(401, body, key);
  EXPECT_EQ(s.find(key), std::string::npos) << s;
  EXPECT_NE(s.find("401"), std::string::npos);
  EXPECT_NE(s.find("[redacted]"), std::string::npos);
  EXPECT_EQ(DescribeProviderError(502, "<html>bad gateway</html>", key),
            "The AI provider answered HTTP 502.");
  const std::string long_msg = R"({"error":")" + std::string(1000, 'a') + "\"}";
  EXPECT_LT(DescribeProviderError(400, long_msg, key).size(), 260u);
}

TEST(OpenAiWireTest, RedactEveryOccurrence) {
  EXPECT_EQ(Redact("k k kk", "k"), "[redacted] [redacted] [redacted][redacted]");
  EXPECT_EQ(Redact("abc", ""), "abc");
}

}  // namespace
}  // namespace parley::ai
