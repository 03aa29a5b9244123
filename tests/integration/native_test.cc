// The native protocol v1 (/v1/ws) over real sockets: acknowledgements after durability,
// clientId retries, resuming with `since`, mutations, errors and limits.
#include <atomic>
#include <set>
#include <thread>

#include "integration.h"

namespace parley::integration {
namespace {

using testing::JsonQuote;

class NativeTest : public ParleyTest {
 protected:
  WsClient& Native(std::string_view username) {
    clients_.push_back(std::make_unique<WsClient>());
    WsClient& c = *clients_.back();
    EXPECT_TRUE(c.Connect(port(), "/v1/ws?username=" + std::string(username))) << c.error();
    return c;
  }
  // Joins `room` and reads up to the presence snapshot; returns the `joined` frame.
  static JsonDoc JoinRoom(WsClient& c, std::string_view room, std::optional<int64_t> since = {}) {
    std::string req = R"({"type":"join","room":)" + JsonQuote(room);
    if (since) req += ",\"since\":" + std::to_string(*since);
    EXPECT_TRUE(c.SendText(req + "}"));
    auto joined = c.ReadUntilType("joined", AfterSeconds(10));
    EXPECT_TRUE(joined) << c.error();
    return *JsonDoc::Parse(joined.value_or("{}"));
  }
  static void Post(WsClient& c, std::string_view room, std::string_view text,
                   std::string_view client_id) {
    EXPECT_TRUE(c.SendText(R"({"type":"message","room":)" + JsonQuote(room) + R"(,"text":)" +
                           JsonQuote(text) + R"(,"clientId":)" + JsonQuote(client_id) + "}"));
  }
  static JsonDoc Next(WsClient& c, std::string_view type) {
    auto frame = c.ReadUntilType(type, AfterSeconds(10));
    EXPECT_TRUE(frame) << "no " << type << " frame: " << c.error();
    return *JsonDoc::Parse(frame.value_or("{}"));
  }

  std::vector<std::unique_ptr<WsClient>> clients_;
};

TEST_F(NativeTest, TheSenderIsAcknowledgedAndEveryMemberGetsTheMessage) {
  WsClient& alice = Native("alice");
  WsClient& bob = Native("bob");
  JoinRoom(alice, "lobby");
  JoinRoom(bob, "lobby");
  Post(alice, "lobby", "hello bob", "c-1");
  JsonDoc ack = Next(alice, "ack");
  EXPECT_EQ(ack.Str("clientId"), "c-1");
  EXPECT_EQ(ack.Int("seq"), 1);
  JsonDoc chat = Next(bob, "chat");
  EXPECT_EQ(chat.Str("message"), "hello bob");
  EXPECT_EQ(chat.Str("username"), "alice");
  EXPECT_EQ(chat.Str("id"), ack.Str("id"));
  EXPECT_EQ(chat.Int("seq"), 1);
}

TEST_F(NativeTest, ARetryWithTheSameClientIdGetsTheOriginalAckAndNoSecondMessage) {
  WsClient& alice = Native("alice");
  JoinRoom(alice, "r");
  Post(alice, "r", "only once", "same");
  JsonDoc first = Next(alice, "ack");
  // The connection drops before the client saw the ack: it reconnects and sends again.
  WsClient& again = Native("alice");
  JoinRoom(again, "r");
  Post(again, "r", "only once", "same");
  JsonDoc second = Next(again, "ack");
  EXPECT_EQ(second.Str("id"), first.Str("id"));
  EXPECT_EQ(second.Int("seq"), first.Int("seq"));
  auto history = GetJson("/api/history?room=r");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->Items().size(), 1u) << "stored once";
}

TEST_F(NativeTest, OneSocketIsInSeveralRoomsAndLeavesOne) {
  WsClient& alice = Native("alice");
  JoinRoom(alice, "a");
  JoinRoom(alice, "b");
  Post(alice, "b", "to b", "1");
  EXPECT_EQ(Next(alice, "chat").Str("room"), "b");
  ASSERT_TRUE(alice.SendText(R"({"type":"leave","room":"a"})"));
  EXPECT_EQ(Next(alice, "left").Str("room"), "a");
  Post(alice, "a", "to a", "2");
  JsonDoc err = Next(alice, "error");
  EXPECT_EQ(err.Str("code"), "not_joined");
  EXPECT_EQ(err.Str("ref"), "2");
}

// Run with the default ring (replays come from memory) and with a small one, so that most
// replays are read from the store while new messages keep being published.
class ResumeTest : public NativeTest,
                   public ::testing::WithParamInterface<std::vector<std::string>> {
  std::vector<std::string> ExtraArgs() const override { return GetParam(); }
};
INSTANTIATE_TEST_SUITE_P(Rings, ResumeTest,
                         ::testing::Values(std::vector<std::string>{},
                                           std::vector<std::string>{"--history-ring-size", "30",
                                                                    "--history-join-messages",
                                                                    "10"}));

// The resume guarantee: a reader that drops and rejoins with `since` = the last seq it saw
// gets every message exactly once, in order, while another user keeps posting.
TEST_P(ResumeTest, ResumingWithSinceLosesAndRepeatsNothingWhilePostsContinue) {
  constexpr int kMessages = 300;
  std::atomic<bool> failed{false};
  std::thread poster([&] {
    WsClient p;
    if (!p.Connect(port(), "/v1/ws?username=poster")) return void(failed = true);
    p.SendText(R"({"type":"join","room":"busy"})");
    for (int i = 1; i <= kMessages; ++i) {
      p.SendText(R"({"type":"message","room":"busy","text":"m)" + std::to_string(i) +
                 R"(","clientId":"p)" + std::to_string(i) + "\"}");
      if (i % 20 != 0) continue;
      // Read the acks up to this one. The poster also stays until its last message is
      // acknowledged, as a real client does: a socket closed with unread data is reset, and
      // what it sent last may never be read.
      for (std::string cid; cid != "p" + std::to_string(i);) {
        auto ack = p.ReadUntilType("ack", AfterSeconds(10));
        if (!ack) return void(failed = true);
        cid = JsonDoc::Parse(*ack)->Str("clientId");
      }
    }
  });
  std::vector<int64_t> seen;
  int64_t last = 0;
  for (int round = 0; round < 6 && last < kMessages; ++round) {
    WsClient reader;
    ASSERT_TRUE(reader.Connect(port(), "/v1/ws?username=reader"));
    // since 0 on the first round: everything from the first message.
    ASSERT_TRUE(
        reader.SendText(R"({"type":"join","room":"busy","since":)" + std::to_string(last) + "}"));
    auto joined = JsonDoc::Parse(*reader.ReadUntilType("joined", AfterSeconds(10)));
    EXPECT_TRUE(joined->root()["recovered"].get_bool().value());
    // Read a few chat frames, then drop the connection without a goodbye.
    for (int n = 0; n < 40 && last < kMessages; ++n) {
      auto chat = reader.ReadUntilType("chat", AfterSeconds(10));
      if (!chat) {
        ADD_FAILURE() << "round " << round << " after " << n << " chats, last " << last << ": "
                      << reader.error();
        break;
      }
      last = JsonDoc::Parse(*chat)->Int("seq");
      seen.push_back(last);
    }
  }
  // The last round reads to the end.
  WsClient tail;
  ASSERT_TRUE(tail.Connect(port(), "/v1/ws?username=reader"));
  ASSERT_TRUE(
      tail.SendText(R"({"type":"join","room":"busy","since":)" + std::to_string(last) + "}"));
  while (last < kMessages) {
    auto chat = tail.ReadUntilType("chat", AfterSeconds(10));
    ASSERT_TRUE(chat) << "stuck after seq " << last << ": " << tail.error();
    last = JsonDoc::Parse(*chat)->Int("seq");
    seen.push_back(last);
  }
  poster.join();
  ASSERT_FALSE(failed);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kMessages));
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], static_cast<int64_t>(i + 1));
}

class NativeLimitsTest : public NativeTest {
  std::vector<std::string> ExtraArgs() const override {
    return {"--history-max-replay", "5", "--max-rooms-per-connection", "2",
            "--typing-per-10s",     "3"};
  }
};

TEST_F(NativeLimitsTest, ASinceTooOldSaysNotRecovered) {
  WsClient& alice = Native("alice");
  JoinRoom(alice, "r");
  for (int i = 0; i < 12; ++i) Post(alice, "r", "m" + std::to_string(i), std::to_string(i));
  for (int i = 0; i < 12; ++i) Next(alice, "ack");
  WsClient& bob = Native("bob");
  JsonDoc joined = JoinRoom(bob, "r", int64_t{1});
  EXPECT_FALSE(joined.root()["recovered"].get_bool().value());
  EXPECT_EQ(Next(bob, "history").Items("messages").size(), 12u) << "the latest page instead";
  WsClient& carol = Native("carol");
  JsonDoc near = JoinRoom(carol, "r", int64_t{8});
  EXPECT_TRUE(near.root()["recovered"].get_bool().value());
  EXPECT_EQ(Next(carol, "chat").Int("seq"), 9);
}

TEST_F(NativeLimitsTest, EveryLimitHasItsCodeAndTheConnectionStays) {
  WsClient& c = Native("alice");
  JoinRoom(c, "one");
  JoinRoom(c, "two");
  ASSERT_TRUE(c.SendText(R"({"type":"join","room":"three","ref":"j3"})"));
  JsonDoc rooms = Next(c, "error");
  EXPECT_EQ(rooms.Str("code"), "too_many_rooms");
  EXPECT_EQ(rooms.Str("ref"), "j3");

  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(c.SendText(R"({"type":"typing","room":"one","active":true})"));
  ASSERT_TRUE(c.SendText(R"({"type":"typing","room":"one","active":true})"));
  JsonDoc rate = Next(c, "error");
  EXPECT_EQ(rate.Str("code"), "rate_limited");
  EXPECT_GT(rate.Int("retryAfterMs"), 0);

  const std::pair<std::string, std::string> bad[] = {
      {"not json", "bad_request"},
      {R"({"type":"shout","room":"one"})", "unknown_type"},
      {R"({"type":"message","room":"one","text":"x"})", "invalid_field"},
      {R"({"type":"message","room":"one","clientId":"c","text":")" + std::string(5000, 'x') + "\"}",
       "message_too_large"},
      {R"({"type":"join","room":"bad room"})", "invalid_room"},
  };
  for (const auto& [frame, code] : bad) {
    ASSERT_TRUE(c.SendText(frame));
    EXPECT_EQ(Next(c, "error").Str("code"), code) << frame.substr(0, 60);
  }
  ASSERT_TRUE(c.SendText(R"({"type":"ping"})"));
  EXPECT_TRUE(c.ReadUntilType("pong", AfterSeconds(10))) << "still connected";
}

TEST_F(NativeTest, EditsDeletesAndReactionsReachEveryoneAndStick) {
  WsClient& alice = Native("alice");
  WsClient& bob = Native("bob");
  JoinRoom(alice, "r");
  JoinRoom(bob, "r");
  Post(alice, "r", "helo", "c1");
  const std::string id = Next(alice, "ack").Str("id");
  Next(bob, "chat");

  ASSERT_TRUE(bob.SendText(R"({"type":"edit","room":"r","messageId":")" + id +
                           R"(","text":"mine now","ref":"e1"})"));
  JsonDoc forbidden = Next(bob, "error");
  EXPECT_EQ(forbidden.Str("code"), "forbidden");
  EXPECT_EQ(forbidden.Str("ref"), "e1");

  ASSERT_TRUE(
      alice.SendText(R"({"type":"edit","room":"r","messageId":")" + id + R"(","text":"hello"})"));
  JsonDoc edit = Next(bob, "edit");
  EXPECT_EQ(edit.Str("message"), "hello");
  EXPECT_EQ(edit.Str("id"), id);

  ASSERT_TRUE(
      bob.SendText(R"({"type":"react","room":"r","messageId":")" + id + R"(","emoji":"👍"})"));
  JsonDoc reaction = Next(alice, "reaction");
  EXPECT_EQ(reaction.Str("emoji"), "👍");
  EXPECT_EQ(reaction.Str("username"), "bob");
  EXPECT_TRUE(reaction.root()["added"].get_bool().value());

  auto history = GetJson("/api/history?room=r");
  auto stored = JsonDoc::Parse(history->Items().at(0));
  EXPECT_EQ(stored->Str("message"), "hello");
  EXPECT_GT(stored->Int("editedAt"), 0);
  EXPECT_EQ(stored->Items("reactions").size(), 1u);

  ASSERT_TRUE(alice.SendText(R"({"type":"delete","room":"r","messageId":")" + id + "\"}"));
  EXPECT_EQ(Next(bob, "delete").Str("id"), id);
  history = GetJson("/api/history?room=r");
  stored = JsonDoc::Parse(history->Items().at(0));
  EXPECT_TRUE(stored->root()["deleted"].get_bool().value()) << "a tombstone stays";
  EXPECT_EQ(stored->Str("message"), "");
}

TEST_F(NativeTest, ReadMarkersAndTypingReachTheOthers) {
  WsClient& alice = Native("alice");
  WsClient& bob = Native("bob");
  JoinRoom(alice, "r");
  JoinRoom(bob, "r");
  Post(alice, "r", "read me", "c1");
  Next(bob, "chat");
  ASSERT_TRUE(bob.SendText(R"({"type":"typing","room":"r","active":true})"));
  JsonDoc typing = Next(alice, "typing");
  EXPECT_EQ(typing.Str("username"), "bob");
  ASSERT_TRUE(bob.SendText(R"({"type":"read","room":"r","seq":1})"));
  JsonDoc read = Next(alice, "read");
  EXPECT_EQ(read.Str("username"), "bob");
  EXPECT_EQ(read.Int("seq"), 1);
  // A newcomer learns the markers in its joined frame.
  WsClient& carol = Native("carol");
  JsonDoc joined = JoinRoom(carol, "r");
  EXPECT_EQ(joined.Items("reads").size(), 1u);
}

TEST_F(NativeTest, HistoryPagesBackwardsOverTheSocketAndForwardsOverHttp) {
  WsClient& alice = Native("alice");
  JoinRoom(alice, "r");
  for (int i = 1; i <= 30; ++i) Post(alice, "r", "m" + std::to_string(i), std::to_string(i));
  for (int i = 0; i < 30; ++i) Next(alice, "ack");
  ASSERT_TRUE(alice.SendText(R"({"type":"history","room":"r","before":11,"limit":5})"));
  JsonDoc page = Next(alice, "history");
  auto items = page.Items("messages");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(JsonDoc::Parse(items.front())->Int("seq"), 6);
  EXPECT_TRUE(page.root()["hasMore"].get_bool().value());

  auto after = GetJson("/api/history?room=r&after=25&limit=3");
  ASSERT_EQ(after->Items().size(), 3u);
  EXPECT_EQ(JsonDoc::Parse(after->Items().front())->Int("seq"), 26);
}

TEST_F(NativeTest, SearchFindsWordsInARoom) {
  WsClient& alice = Native("alice");
  JoinRoom(alice, "r");
  Post(alice, "r", "the quick brown fox", "1");
  Post(alice, "r", "a lazy dog", "2");
  Post(alice, "r", "quick thinking", "3");
  for (int i = 0; i < 3; ++i) Next(alice, "ack");
  auto found = GetJson("/api/search?room=r&q=quick");
  auto results = found->Items("results");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(JsonDoc::Parse(results[0])->Str("message"), "quick thinking") << "newest first";
  auto first = GetJson("/api/search?room=r&q=quick&limit=1");
  EXPECT_EQ(first->Items("results").size(), 1u);
  EXPECT_TRUE(first->root()["hasMore"].get_bool().value()) << "a second match exists";
  EXPECT_FALSE(found->root()["hasMore"].get_bool().value());
  auto prefix = GetJson("/api/search?room=r&q=laz");
  EXPECT_EQ(prefix->Items("results").size(), 1u);
  auto hostile = GetJson("/api/search?room=r&q=%22%20OR%20NEAR(");
  EXPECT_TRUE(hostile) << "search syntax in a query is just text";
  GetJson("/api/search?room=r&q=%20", 400);
}

}  // namespace
}  // namespace parley::integration
