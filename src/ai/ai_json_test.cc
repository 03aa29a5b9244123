#include "ai/ai_json.h"

#include <gtest/gtest.h>

namespace parley::ai {
namespace {

const AskRules kRules{.max_prompt_bytes = 16, .max_conversation_id_chars = 8};

TEST(AiJsonTest, DecodesSeed003Bodies) {
  auto a = DecodeAsk(R"({"message":"Hello AI!","model":"gpt-4","domainId":"weeziq.com",)"
                     R"("userId":"user-123","conversationId":"conv-456"})",
                     kRules);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->message, "Hello AI!");
  EXPECT_EQ(a->model, "gpt-4");
  EXPECT_EQ(a->conversation_id, "conv-456");
  auto b = DecodeAsk(R"({"message":"hi"})", kRules);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->model, "");
  EXPECT_EQ(b->conversation_id, "");
}

TEST(AiJsonTest, RefusesBadBodies) {
  const std::pair<const char*, ErrorCode> cases[] = {
      {"", ErrorCode::kBadRequest},
      {"[1]", ErrorCode::kBadRequest},
      {"{}", ErrorCode::kInvalidField},
      {R"({"message":5})", ErrorCode::kInvalidField},
      {R"({"message":"  "})", ErrorCode::kEmptyMessage},
      {R"({"message":"12345678901234567"})", ErrorCode::kMessageTooLarge},
      {R"({"message":"hi","model":1})", ErrorCode::kInvalidField},
      {R"({"message":"hi","conversationId":"123456789"})", ErrorCode::kInvalidField},
      {R"({"message":"hi","conversationId":"a\u0001"})", ErrorCode::kInvalidField},
  };
  for (const auto& [body, code] : cases) {
    auto r = DecodeAsk(body, kRules);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), code) << body;
  }
}

TEST(AiJsonTest, ResolvesModels) {
  EXPECT_EQ(*ResolveModel("", "gpt-3.5-turbo", {}), "gpt-3.5-turbo");
  EXPECT_EQ(*ResolveModel("gpt-3.5-turbo", "gpt-3.5-turbo", {}), "gpt-3.5-turbo");
  EXPECT_EQ(*ResolveModel("gpt-4", "gpt-3.5-turbo", {"gpt-4"}), "gpt-4");
  auto r = ResolveModel("gpt-5", "gpt-3.5-turbo", {"gpt-4"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnknownModel);
  EXPECT_NE(r.status().message().find("gpt-4"), std::string::npos);
}

TEST(AiJsonTest, EncodesAnswersAndEvents) {
  EXPECT_EQ(EncodeAnswer("Hi \"you\"", "m", "c1"),
            R"({"response":"Hi \"you\"","model":"m","conversationId":"c1"})");
  EXPECT_EQ(EncodeAnswer("Hi", "m", ""), R"({"response":"Hi","model":"m"})");
  EXPECT_EQ(EncodeStreamToken("a\nb"), R"({"type":"token","content":"a\nb"})");
  EXPECT_EQ(EncodeStreamDone("ab", "m", "c"),
            R"({"type":"done","response":"ab","model":"m","conversationId":"c"})");
  EXPECT_EQ(EncodeStreamError("ai_timeout", "slow"),
            R"({"type":"error","error":"ai_timeout","message":"slow"})");
  EXPECT_EQ(SseFrame("{}"), "data: {}\n\n");
}

TEST(AiJsonTest, ParsesProviderUrls) {
  auto a = ParseProviderUrl("https://api.openai.com/v1");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->tls);
  EXPECT_EQ(a->host, "api.openai.com");
  EXPECT_EQ(a->port, 443);
  EXPECT_EQ(a->path, "/v1/chat/completions");
  EXPECT_EQ(a->host_header, "api.openai.com");
  auto b = ParseProviderUrl("http://127.0.0.1:8080/");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->tls);
  EXPECT_EQ(b->port, 8080);
  EXPECT_EQ(b->path, "/chat/completions");
  EXPECT_EQ(b->host_header, "127.0.0.1:8080");
  auto c = ParseProviderUrl("http://[::1]:9/v1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  for (const char* bad : {"ftp://x", "x.com", "http://", "http://a:0", "http://a:99999",
                          "http://u:p@a", "http://a/v1?x=1", "http://[::1"}) {
    EXPECT_FALSE(ParseProviderUrl(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace parley::ai
