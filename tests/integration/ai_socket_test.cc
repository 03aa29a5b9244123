// The AI assistant on seed 003's JSON socket (ai-chat, ai-stream) and the "ai" rate limits
// of every way to ask it, against the real binary and the fake provider.
#include "ai_fixture.h"

namespace parley::integration {
namespace {

std::string Ask(std::string_view type, std::string_view message, std::string_view model = "",
                std::string_view conversation = "") {
  std::string out = R"({"type":")" + std::string(type) + R"(","message":")" + std::string(message) +
                    R"(","domainId":"weeziq.com","userId":"user-456")";
  if (!model.empty()) out += R"(,"model":")" + std::string(model) + "\"";
  if (!conversation.empty()) out += R"(,"conversationId":")" + std::string(conversation) + "\"";
  return out + "}";
}

TEST_F(AiTest, SocketAiChatAnswersOnceAndSharesMemoryWithHttp) {
  WsClient& ws = Socket();
  ASSERT_TRUE(ws.SendText(Ask("ai-chat", "What is AI?", "", "conv-789")));
  JsonDoc answer = NextJson(ws);
  EXPECT_EQ(answer.Str("type"), "ai-response");
  EXPECT_EQ(answer.Str("response"), "echo: What is AI? [2 messages]");
  EXPECT_EQ(answer.Str("model"), "echo");
  EXPECT_EQ(answer.Str("conversationId"), "conv-789");
  EXPECT_FALSE(answer.Str("timestamp").empty());
  // The same conversation continues over HTTP, and back on the socket.
  HttpResponse r = Post("/ai/chat", R"({"message":"and then?","conversationId":"conv-789"})");
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("response"), "echo: and then? [4 messages]");
  ASSERT_TRUE(ws.SendText(Ask("ai-chat", "more", "", "conv-789")));
  EXPECT_EQ(NextJson(ws).Str("response"), "echo: more [6 messages]");
}

TEST_F(AiTest, SocketAiStreamSendsOnlyTheNewTextThenAnEnd) {
  WsClient& ws = Socket();
  ASSERT_TRUE(ws.SendText(Ask("ai-stream", "Explain", "stream", "s9")));
  std::vector<std::string> pieces;
  JsonDoc frame = NextJson(ws);
  while (frame.Str("type") == "ai-stream-chunk") {
    pieces.push_back(frame.Str("content"));
    EXPECT_FALSE(frame.Has("response")) << "a chunk never repeats the whole text";
    frame = NextJson(ws);
  }
  EXPECT_EQ(pieces, (std::vector<std::string>{"Hel", "lo", " world"}));
  EXPECT_EQ(frame.Str("type"), "ai-stream-end");
  EXPECT_EQ(frame.Str("model"), "stream");
  EXPECT_EQ(frame.Str("conversationId"), "s9");
  EXPECT_EQ(frame.Int("length"), 11);
  EXPECT_FALSE(frame.Has("response"));
  // The streamed answer is remembered for HTTP too.
  HttpResponse r = Post("/ai/chat", R"({"message":"again","conversationId":"s9"})");
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("response"), "echo: again [4 messages]");
}

TEST_F(AiTest, SocketSlowStreamDeliversEveryChunk) {
  WsClient& ws = Socket();
  ASSERT_TRUE(ws.SendText(Ask("ai-stream", "hi", "slow")));
  std::string text;
  JsonDoc frame = NextJson(ws);
  for (; frame.Str("type") == "ai-stream-chunk"; frame = NextJson(ws)) text += frame.Str("content");
  EXPECT_EQ(frame.Str("type"), "ai-stream-end");
  EXPECT_EQ(text, "one two three four five");
}

TEST_F(AiTest, SocketMidStreamErrorsEndWithAnErrorFrame) {
  WsClient& ws = Socket();
  for (const char* model : {"midfail", "cut", "malformed"}) {
    SCOPED_TRACE(model);
    ASSERT_TRUE(ws.SendText(Ask("ai-stream", "hi", model)));
    JsonDoc frame = NextJson(ws);
    EXPECT_EQ(frame.Str("type"), "ai-stream-chunk");
    while (frame.Str("type") == "ai-stream-chunk") frame = NextJson(ws);
    EXPECT_EQ(frame.Str("type"), "error");
    EXPECT_EQ(frame.Str("code"), "ai_provider_error");
    EXPECT_FALSE(frame.Str("message").empty());
  }
}

TEST_F(AiTest, SocketErrorsAreErrorFramesAndTheSocketStays) {
  WsClient& ws = Socket();
  struct Case {
    std::string frame;
    const char* code;
  };
  const Case cases[] = {
      {Ask("ai-chat", "hi", "hang"), "ai_timeout"},
      {Ask("ai-chat", "hi", "refuse"), "ai_provider_error"},
      {Ask("ai-stream", "hi", "gpt-5"), "unknown_model"},
      {R"({"type":"ai-chat","message":"  "})", "empty_message"},
      {R"({"type":"ai-stream","message":"hi","conversationId":7})", "invalid_field"},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(ws.SendText(c.frame));
    JsonDoc frame = NextJson(ws);
    EXPECT_EQ(frame.Str("type"), "error") << c.frame;
    EXPECT_EQ(frame.Str("code"), c.code) << c.frame;
    EXPECT_EQ(frame.Str("message").find(kKey), std::string::npos) << "the key leaked";
  }
  ASSERT_TRUE(ws.SendText(Ask("ai-chat", "still here")));
  EXPECT_EQ(NextJson(ws).Str("response"), "echo: still here [2 messages]");
}

TEST_F(AiTest, SocketAsksOneQuestionAtATime) {
  WsClient& ws = Socket();
  ASSERT_TRUE(ws.SendText(Ask("ai-stream", "first", "slow")));
  ASSERT_TRUE(ws.SendText(Ask("ai-chat", "second")));
  // The refusal comes while the slow answer is still under way.
  JsonDoc frame = NextJson(ws);
  while (frame.Str("type") == "ai-stream-chunk") frame = NextJson(ws);
  EXPECT_EQ(frame.Str("type"), "error");
  EXPECT_EQ(frame.Str("code"), "ai_busy");
  while (frame.Str("type") != "ai-stream-end" && !frame.Str("type").empty()) frame = NextJson(ws);
  ASSERT_TRUE(ws.SendText(Ask("ai-chat", "second")));
  EXPECT_EQ(NextJson(ws).Str("response"), "echo: second [2 messages]");
}

// Strict "ai" limits: one token a second after a burst of two, per IP with no extra room.
class AiRateTest : public AiTest {
 protected:
  std::vector<std::string> MoreArgs() const override {
    return {"--rate-enabled",   "1", "--rate-ai-per-s",   "1", "--rate-ai-burst", "2",
            "--rate-ip-factor", "1", "--exempt-loopback", "0"};
  }
};

TEST_F(AiRateTest, HttpQuestionsOverTheLimitGet429) {
  // Tokens refill at one a second, so a few quick requests always meet the limit.
  HttpResponse refused;
  int answered = 0;
  for (int i = 0; i < 10 && refused.status != 429; ++i) {
    HttpResponse r = i % 2 == 0 ? Post("/ai/chat", R"({"message":"hi"})")
                                : Post("/ai/stream", R"({"message":"hi","model":"stream"})");
    if (r.status == 200) ++answered;
    if (r.status == 429) refused = r;
  }
  ASSERT_EQ(refused.status, 429) << "never limited";
  EXPECT_GE(answered, 2) << "the burst passes";
  auto doc = JsonDoc::Parse(refused.body);
  ASSERT_TRUE(doc) << refused.body;
  EXPECT_EQ(doc->Str("error"), "rate_limited");
  EXPECT_GT(doc->Int("retryAfterMs"), 0);
  EXPECT_FALSE(refused.Header("Retry-After").empty());
  // A refused question never reached the provider.
  EXPECT_EQ(provider_.requests().size(), static_cast<size_t>(answered));
}

TEST_F(AiRateTest, SocketQuestionsOverTheLimitGetRateLimitedFrames) {
  WsClient& ws = Socket();
  std::optional<JsonDoc> refused;
  for (int i = 0; i < 10 && !refused; ++i) {
    ASSERT_TRUE(ws.SendText(Ask("ai-chat", "hi")));
    JsonDoc frame = NextJson(ws);
    if (frame.Str("type") == "error") refused = std::move(frame);
  }
  ASSERT_TRUE(refused) << "never limited";
  EXPECT_EQ(refused->Str("code"), "rate_limited");
  EXPECT_GT(refused->Int("retryAfterMs"), 0);
  // The socket stays open: its visitor messages still work.
  ASSERT_TRUE(ws.SendText(R"({"type":"get-domain-stats","domainId":"weeziq.com"})"));
  EXPECT_EQ(NextJson(ws).Str("type"), "domain-stats");
}

TEST_F(ParleyTest, SocketAiWithoutProviderIsNotConfigured) {
  WsClient ws;
  ASSERT_TRUE(ws.Connect(port(), "/ws")) << ws.error();
  ASSERT_TRUE(ws.SendText(R"({"type":"ai-stream","message":"hi"})"));
  auto text = ws.ReadUntilType("error", AfterSeconds(10));
  ASSERT_TRUE(text);
  EXPECT_EQ(JsonDoc::Parse(*text)->Str("code"), "ai_not_configured");
}

}  // namespace
}  // namespace parley::integration
