// Seed 003's AI assistant against the real binary: POST /ai/chat and POST /ai/stream with
// parley pointed at a fake OpenAI-compatible provider on loopback (fake_ai_provider.h).
#include "ai_fixture.h"

namespace parley::integration {
namespace {

using testing::HttpClient;

TEST_F(AiTest, ChatAnswersWithTheProvidersText) {
  HttpResponse r = Post("/ai/chat", R"({"message":"Hello AI!","domainId":"weeziq.com"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = JsonDoc::Parse(r.body);
  ASSERT_TRUE(doc) << r.body;
  EXPECT_EQ(doc->Str("response"), "echo: Hello AI! [2 messages]");  // system + user
  EXPECT_EQ(doc->Str("model"), "echo");
  ASSERT_EQ(provider_.requests().size(), 1u);
  const FakeRequest sent = provider_.requests()[0];
  EXPECT_NE(sent.head.find("POST /v1/chat/completions HTTP/1.1"), std::string::npos);
  EXPECT_NE(sent.head.find("Authorization: Bearer sk-test-secret-123"), std::string::npos);
  auto body = JsonDoc::Parse(sent.body);
  ASSERT_TRUE(body);
  auto first = JsonDoc::Parse(body->Items("messages").front());
  EXPECT_EQ(first->Str("role"), "system");
  EXPECT_EQ(first->Str("content"), "Be brief.");
}

TEST_F(AiTest, ConversationMemoryIsKeptAndBounded) {
  auto ask = [&](const std::string& text) {
    HttpResponse r =
        Post("/ai/chat", R"({"message":")" + text + R"(","conversationId":"conv-456"})");
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonDoc::Parse(r.body)->Str("response");
  };
  EXPECT_EQ(ask("one"), "echo: one [2 messages]");
  EXPECT_EQ(ask("two"), "echo: two [4 messages]");  // system, one, its answer, two
  EXPECT_EQ(ask("three"), "echo: three [6 messages]");
  EXPECT_EQ(ask("four"), "echo: four [6 messages]") << "ai.max_turns = 4 keeps 4 messages";
  // Another conversation starts empty; and memory survives a restart.
  EXPECT_EQ(JsonDoc::Parse(Post("/ai/chat", R"({"message":"x","conversationId":"other"})").body)
                ->Str("response"),
            "echo: x [2 messages]");
  server_.Stop();
  ASSERT_TRUE(server_.Start(ExtraArgs()));
  EXPECT_EQ(ask("five"), "echo: five [6 messages]");
  const auto last = JsonDoc::Parse(provider_.requests().back().body);
  const auto items = last->Items("messages");
  EXPECT_EQ(JsonDoc::Parse(items[1])->Str("content"), "three");
  ASSERT_EQ(items.size(), 6u);  // system, three, its answer, four, its answer, five
  EXPECT_EQ(JsonDoc::Parse(items[5])->Str("content"), "five");
}

TEST_F(AiTest, StreamRelaysTokensAsServerSentEvents) {
  HttpResponse r = Post("/ai/stream", R"({"message":"hi","model":"stream","conversationId":"s1"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(r.Header("Transfer-Encoding"), "chunked");
  const auto events = EventData(r.body);
  ASSERT_EQ(events.size(), 4u) << r.body;
  EXPECT_EQ(events[0], R"({"type":"token","content":"Hel"})");
  EXPECT_EQ(events[1], R"({"type":"token","content":"lo"})");
  EXPECT_EQ(events[2], R"({"type":"token","content":" world"})");
  EXPECT_EQ(events[3],
            R"({"type":"done","response":"Hello world","model":"stream","conversationId":"s1"})");
  EXPECT_NE(provider_.requests().back().body.find("\"stream\":true"), std::string::npos);
  // The streamed answer is remembered like a JSON one.
  HttpResponse next = Post("/ai/chat", R"({"message":"again","conversationId":"s1"})");
  EXPECT_EQ(JsonDoc::Parse(next.body)->Str("response"), "echo: again [4 messages]");
}

TEST_F(AiTest, SlowProviderStillStreamsEveryToken) {
  HttpResponse r = Post("/ai/stream", R"({"message":"hi","model":"slow"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto events = EventData(r.body);
  ASSERT_EQ(events.size(), 6u) << r.body;
  EXPECT_EQ(events.back(),
            R"({"type":"done","response":"one two three four five","model":"slow"})");
}

TEST_F(AiTest, ErrorsMidStreamEndTheStreamWithAnErrorEvent) {
  for (const char* model : {"midfail", "cut", "malformed"}) {
    SCOPED_TRACE(model);
    HttpResponse r =
        Post("/ai/stream", std::string(R"({"message":"hi","model":")") + model + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = EventData(r.body);
    ASSERT_GE(events.size(), 2u) << r.body;
    EXPECT_EQ(JsonDoc::Parse(events.front())->Str("type"), "token");
    auto last = JsonDoc::Parse(events.back());
    EXPECT_EQ(last->Str("type"), "error");
    EXPECT_EQ(last->Str("error"), "ai_provider_error");
    EXPECT_FALSE(last->Str("message").empty());
  }
}

TEST_F(AiTest, ProviderRefusalIsA502WithoutTheKey) {
  for (const char* path : {"/ai/chat", "/ai/stream"}) {
    HttpResponse r = Post(path, R"({"message":"hi","model":"refuse"})");
    EXPECT_EQ(r.status, 502) << r.body;
    auto doc = JsonDoc::Parse(r.body);
    ASSERT_TRUE(doc) << r.body;
    EXPECT_EQ(doc->Str("error"), "ai_provider_error");
    EXPECT_NE(doc->Str("message").find("401"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find(kKey), std::string::npos) << "the key leaked: " << r.body;
  }
  EXPECT_EQ(server_.StderrText().find(kKey), std::string::npos) << "the key reached the log";
}

TEST_F(AiTest, UnreadableAnswerIsA502) {
  HttpResponse r = Post("/ai/chat", R"({"message":"hi","model":"garbage"})");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("error"), "ai_provider_error");
}

TEST_F(AiTest, ProviderThatNeverAnswersTimesOut) {
  for (const char* path : {"/ai/chat", "/ai/stream"}) {
    HttpResponse r = Post(path, R"({"message":"hi","model":"hang"})");
    EXPECT_EQ(r.status, 504) << r.body;
    EXPECT_EQ(JsonDoc::Parse(r.body)->Str("error"), "ai_timeout");
  }
}

TEST_F(AiTest, RequestsAreValidated) {
  struct Case {
    const char* path;
    const char* body;
    int status;
    const char* error;
  };
  const Case cases[] = {
      {"/ai/chat", R"({"message":"hi","model":"gpt-5"})", 400, "unknown_model"},
      {"/ai/chat", R"({"model":"echo"})", 400, "invalid_field"},
      {"/ai/chat", R"({"message":"   "})", 400, "empty_message"},
      {"/ai/chat", "not json", 400, "bad_request"},
      {"/ai/stream", R"({"message":"hi","conversationId":5})", 400, "invalid_field"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Post(c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    EXPECT_EQ(JsonDoc::Parse(r.body)->Str("error"), c.error) << c.body;
  }
  HttpResponse get = HttpGet(port(), "/ai/chat");
  EXPECT_EQ(get.status, 405);
  EXPECT_TRUE(provider_.requests().empty()) << "nothing invalid reaches the provider";
}

TEST_F(AiTest, KeepAliveWorksAfterAStream) {
  HttpClient http(port());
  const std::string body = R"({"message":"hi","model":"stream"})";
  const std::string req =
      "POST /ai/stream HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  ASSERT_TRUE(http.SendRaw(req));
  EXPECT_EQ(http.ReadResponse(AfterSeconds(20)).status, 200);
  ASSERT_TRUE(http.SendRaw(req));
  HttpResponse second = http.ReadResponse(AfterSeconds(20));
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(EventData(second.body).size(), 4u);
}

// Without [ai] base_url the endpoints say so.
TEST_F(ParleyTest, AiWithoutProviderIsNotConfigured) {
  HttpClient http(port());
  const std::string body = R"({"message":"hi"})";
  ASSERT_TRUE(http.SendRaw("POST /ai/chat HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body));
  HttpResponse r = http.ReadResponse();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("error"), "ai_not_configured");
}

}  // namespace
}  // namespace parley::integration
