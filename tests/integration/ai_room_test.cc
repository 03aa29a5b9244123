// "@ai" in rooms: a message that mentions the assistant gets its answer streamed into the
// room as delta frames and stored once as a message from "ai" (api/room_ai.h), over the
// seed 004, native and seed 003 sockets, with the fake provider behind it.
#include "ai_fixture.h"

namespace parley::integration {
namespace {

// The room's answer from the seed 004 side: the concatenated ai_delta texts and the final
// chat frame from "ai" (or the ai_end frame of a failure).
struct RoomAnswer {
  std::string deltas;
  std::optional<JsonDoc> last;  // the chat frame from "ai", or ai_end
  bool saw_question = false;
};

// The next text frame ("" after 20 s or a close), answering pings.
std::string NextFrame(WsClient& c) {
  for (;;) {
    auto m = c.ReadMessage(AfterSeconds(20));
    if (!m) return "";
    if (m->opcode == testing::op::kPing) {
      c.SendPong(m->payload);
      continue;
    }
    if (m->opcode == testing::op::kText) return m->payload;
    if (m->opcode == testing::op::kClose) return "";
  }
}

RoomAnswer ReadAnswer(WsClient& c, std::string_view question) {
  RoomAnswer out;
  for (;;) {
    std::string text = NextFrame(c);
    if (text.empty()) {
      ADD_FAILURE() << "no answer frame: " << c.error();
      return out;
    }
    auto doc = JsonDoc::Parse(text);
    const std::string type = doc->Str("type");
    if (type == "ai_delta") {
      out.deltas += doc->Str("text");
    } else if (type == "chat" && doc->Str("message") == question) {
      out.saw_question = true;
    } else if ((type == "chat" && doc->Str("username") == "ai") || type == "ai_end") {
      out.last = std::move(doc);
      return out;
    }
  }
}

class AiRoomTest : public AiTest {
 protected:
  std::string Model() const override { return "stream"; }
};

TEST_F(AiRoomTest, MentionStreamsDeltasThenOneStoredMessage) {
  WsClient& ann = Join("ann", "lobby");
  WsClient& bob = Join("bob", "lobby");
  ASSERT_TRUE(ann.SendText("hey @ai, say hello"));
  for (WsClient* c : {&ann, &bob}) {
    RoomAnswer a = ReadAnswer(*c, "hey @ai, say hello");
    EXPECT_EQ(a.deltas, "Hello world") << "each delta is only the new text";
    ASSERT_TRUE(a.last);
    EXPECT_EQ(a.last->Str("type"), "chat");
    EXPECT_EQ(a.last->Str("username"), "ai");
    EXPECT_EQ(a.last->Str("message"), "Hello world");
  }
  // Stored once: the question and the answer, nothing per token.
  auto page = GetJson("/api/history?room=lobby");
  ASSERT_TRUE(page);
  const auto items = page->Items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(JsonDoc::Parse(items[0])->Str("username"), "ann");
  EXPECT_EQ(JsonDoc::Parse(items[1])->Str("username"), "ai");
  EXPECT_EQ(JsonDoc::Parse(items[1])->Str("message"), "Hello world");
  // The provider was asked the message.
  auto sent = JsonDoc::Parse(provider_.requests().back().body);
  EXPECT_EQ(JsonDoc::Parse(sent->Items("messages").back())->Str("content"), "hey @ai, say hello");
}

TEST_F(AiRoomTest, NativeAndSeed003MembersSeeTheAnswer) {
  WsClient v1;  // the native protocol
  ASSERT_TRUE(v1.Connect(port(), "/v1/ws?username=carol")) << v1.error();
  ASSERT_TRUE(v1.SendText(R"({"type":"join","room":"lobby","ref":"j1"})"));
  ASSERT_TRUE(v1.ReadUntilType("presence", AfterSeconds(10)));
  WsClient& s3 = Socket();
  ASSERT_TRUE(
      s3.SendText(R"({"type":"join-room","roomId":"lobby","userId":"u-9","userName":"dan"})"));
  ASSERT_TRUE(s3.ReadUntilType("joined-room", AfterSeconds(10)));
  ASSERT_TRUE(v1.SendText(R"({"type":"message","room":"lobby","text":"@AI hi","clientId":"c1"})"));
  RoomAnswer a = ReadAnswer(v1, "@AI hi");
  EXPECT_EQ(a.deltas, "Hello world");
  ASSERT_TRUE(a.last);
  EXPECT_EQ(a.last->Str("username"), "ai");
  // Seed 003: ai-stream-chunk frames with the roomId, then the stored new-message.
  std::string chunks;
  for (;;) {
    JsonDoc f = NextJson(s3);
    if (f.Str("type") == "ai-stream-chunk") {
      EXPECT_EQ(f.Str("roomId"), "lobby");
      chunks += f.Str("content");
    } else if (f.Str("type") == "new-message" && f.Str("userName") == "ai") {
      EXPECT_EQ(f.Str("message"), "Hello world");
      break;
    } else if (f.Str("type").empty()) {
      break;
    }
  }
  EXPECT_EQ(chunks, "Hello world");
}

TEST_F(AiRoomTest, ANameMentioningAiIsNotAQuestion) {
  WsClient& ann = Join("ann", "quiet");
  ASSERT_TRUE(ann.SendText("mail me at bot@ai.example or ask @aisha"));
  ASSERT_TRUE(ann.SendText("done"));
  std::string text;
  while ((text = NextText(ann)).find("\"done\"") == std::string::npos && !text.empty()) {
    EXPECT_EQ(text.find("ai_delta"), std::string::npos) << text;
  }
  EXPECT_TRUE(provider_.requests().empty());
}

TEST_F(AiRoomTest, TheNameAiIsReserved) {
  for (const char* name : {"ai", "AI", "Ai"}) {
    HttpResponse r = HttpGet(port(), std::string("/ws?room=lobby&username=") + name,
                             {{"Upgrade", "websocket"},
                              {"Connection", "Upgrade"},
                              {"Sec-WebSocket-Version", "13"},
                              {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
    EXPECT_EQ(r.status, 400) << name;
    EXPECT_EQ(JsonDoc::Parse(r.body)->Str("error"), "invalid_username") << name;
  }
  WsClient& s3 = Socket();
  ASSERT_TRUE(
      s3.SendText(R"({"type":"join-room","roomId":"lobby","userId":"ai","userName":"ai"})"));
  JsonDoc f = NextJson(s3);
  EXPECT_EQ(f.Str("type"), "error");
  EXPECT_EQ(f.Str("code"), "invalid_username");
}

class AiRoomFailTest : public AiTest {
 protected:
  std::string Model() const override { return "midfail"; }
};

TEST_F(AiRoomFailTest, AFailureMidStreamEndsThePreviewAndStoresNothing) {
  WsClient& ann = Join("ann", "lobby");
  ASSERT_TRUE(ann.SendText("@ai go"));
  RoomAnswer a = ReadAnswer(ann, "@ai go");
  ASSERT_TRUE(a.last);
  EXPECT_EQ(a.last->Str("type"), "ai_end");
  EXPECT_EQ(a.last->Str("room"), "lobby");
  EXPECT_EQ(a.last->Str("error"), "ai_provider_error");
  EXPECT_FALSE(a.deltas.empty());
  auto page = GetJson("/api/history?room=lobby");
  ASSERT_EQ(page->Items().size(), 1u) << "only the question is stored";
}

class AiRoomRateTest : public AiRoomTest {
 protected:
  std::vector<std::string> MoreArgs() const override {
    return {"--rate-enabled",   "1", "--rate-ai-per-s",   "1", "--rate-ai-burst", "2",
            "--rate-ip-factor", "1", "--exempt-loopback", "0"};
  }
};

TEST_F(AiRoomRateTest, MentionsOverTheAiLimitAreRefusedToTheAskerOnly) {
  WsClient& ann = Join("ann", "lobby");
  std::optional<JsonDoc> refused;
  for (int i = 0; i < 10 && !refused; ++i) {
    const std::string q = "@ai question " + std::to_string(i);
    ASSERT_TRUE(ann.SendText(q));
    for (;;) {
      std::string text = NextText(ann);
      ASSERT_FALSE(text.empty()) << ann.error();
      auto doc = JsonDoc::Parse(text);
      if (doc->Str("type") == "error") {
        refused = std::move(doc);
        break;
      }
      if (doc->Str("type") == "chat" && doc->Str("username") == "ai") break;
    }
  }
  ASSERT_TRUE(refused) << "never limited";
  EXPECT_EQ(refused->Str("code"), "rate_limited");
  EXPECT_GT(refused->Int("retryAfterMs"), 0);
}

// Without a provider, @ai is an ordinary message plus an error to its sender alone.
TEST_F(ParleyTest, MentionWithoutProviderTellsOnlyTheSender) {
  WsClient& ann = Join("ann", "lobby");
  WsClient& bob = Join("bob", "lobby");
  ASSERT_TRUE(ann.SendText("@ai are you there?"));
  auto err = ann.ReadUntilType("error", AfterSeconds(10));
  ASSERT_TRUE(err);
  EXPECT_EQ(JsonDoc::Parse(*err)->Str("code"), "ai_not_configured");
  ASSERT_TRUE(bob.SendText("after"));
  std::string text;
  while ((text = NextText(bob)).find("\"after\"") == std::string::npos && !text.empty()) {
    EXPECT_EQ(JsonDoc::Parse(text)->Str("type") == "error", false) << text;
  }
  EXPECT_EQ(GetJson("/api/history?room=lobby")->Items().size(), 2u);
}

}  // namespace
}  // namespace parley::integration
