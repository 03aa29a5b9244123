// Seed 004 over WebSocket: joining, presence, chat delivery, rooms, per-message errors.
#include "integration.h"

namespace parley::integration {
namespace {

TEST_F(ParleyTest, JoinGetsHistoryThenPresenceSnapshot) {
  WsClient& alice = Join("alice", "lobby");
  SendAndEcho(alice, "first");
  SendAndEcho(alice, "second");
  SendAndEcho(alice, "third");

  std::string history, snapshot;
  Join("bob", "lobby", &history, &snapshot);
  auto h = JsonDoc::Parse(history);
  ASSERT_TRUE(h) << history;
  EXPECT_EQ(h->Str("room"), "lobby");
  std::vector<std::string> messages = h->Items("messages");
  ASSERT_EQ(messages.size(), 3u) << history;
  const char* expected[] = {"first", "second", "third"};
  int64_t last_seq = 0;
  for (size_t i = 0; i < messages.size(); ++i) {
    auto m = JsonDoc::Parse(messages[i]);
    EXPECT_EQ(m->Str("message"), expected[i]) << "history is oldest first";
    EXPECT_EQ(m->Str("username"), "alice");
    EXPECT_EQ(m->Str("room"), "lobby");
    EXPECT_GT(m->Int("seq"), last_seq);
    last_seq = m->Int("seq");
    EXPECT_FALSE(m->Has("type")) << "history entries carry no type: " << messages[i];
  }

  auto s = JsonDoc::Parse(snapshot);
  ASSERT_TRUE(s) << snapshot;
  EXPECT_EQ(s->Str("event"), "snapshot");
  EXPECT_EQ(s->Str("room"), "lobby");
  EXPECT_EQ(Sorted(s->StrList("users")), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(s->Int("userCount"), 2);
}

TEST_F(ParleyTest, HistoryOnJoinIsTheLast50) {
  WsClient& alice = Join("alice");
  for (int i = 1; i <= 55; ++i) SendAndEcho(alice, "m" + std::to_string(i));
  std::string history;
  Join("bob", "general", &history);
  std::vector<std::string> messages = JsonDoc::Parse(history)->Items("messages");
  ASSERT_EQ(messages.size(), 50u);
  EXPECT_EQ(JsonDoc::Parse(messages.front())->Str("message"), "m6");
  EXPECT_EQ(JsonDoc::Parse(messages.back())->Str("message"), "m55");
}

TEST_F(ParleyTest, OthersSeeJoinAndLeaveWithCounts) {
  WsClient& alice = Join("alice");
  WsClient& bob = Join("bob");
  std::optional<std::string> joined = alice.ReadUntilType("presence", AfterSeconds(10));
  ASSERT_TRUE(joined) << alice.error();
  auto j = JsonDoc::Parse(*joined);
  EXPECT_EQ(j->Str("event"), "user_joined");
  EXPECT_EQ(j->Str("room"), "general");
  EXPECT_EQ(j->Str("username"), "bob");
  EXPECT_EQ(j->Int("userCount"), 2);

  ASSERT_TRUE(bob.SendClose(1000));
  std::optional<std::string> left = alice.ReadUntilType("presence", AfterSeconds(10));
  ASSERT_TRUE(left) << alice.error();
  auto l = JsonDoc::Parse(*left);
  EXPECT_EQ(l->Str("event"), "user_left");
  EXPECT_EQ(l->Str("username"), "bob");
  EXPECT_EQ(l->Int("userCount"), 1);
}

TEST_F(ParleyTest, AbruptDisconnectIsAUserLeft) {
  WsClient& alice = Join("alice");
  WsClient& bob = Join("bob");
  ASSERT_TRUE(alice.ReadUntilType("presence", AfterSeconds(10)));  // bob joined
  bob.conn().Close();  // no close frame: the TCP connection just ends
  std::optional<std::string> left = alice.ReadUntilType("presence", AfterSeconds(10));
  ASSERT_TRUE(left) << alice.error();
  EXPECT_EQ(JsonDoc::Parse(*left)->Str("event"), "user_left");
  EXPECT_EQ(JsonDoc::Parse(*left)->Int("userCount"), 1);
}

TEST_F(ParleyTest, SameUserTwiceCountsSocketsButListsOnce) {
  Join("alice");
  std::string snapshot;
  Join("alice", "general", nullptr, &snapshot);
  auto s = JsonDoc::Parse(snapshot);
  EXPECT_EQ(s->StrList("users"), (std::vector<std::string>{"alice"}));
  EXPECT_EQ(s->Int("userCount"), 2);
}

TEST_F(ParleyTest, ChatReachesEveryoneIncludingSender) {
  WsClient& alice = Join("alice");
  WsClient& bob = Join("bob");
  ASSERT_TRUE(alice.SendText("hello \xf0\x9f\x91\x8b \"quoted\""));
  std::optional<std::string> to_alice = alice.ReadChat(AfterSeconds(10));
  std::optional<std::string> to_bob = bob.ReadChat(AfterSeconds(10));
  ASSERT_TRUE(to_alice) << alice.error();
  ASSERT_TRUE(to_bob) << bob.error();
  for (const std::string& frame : {*to_alice, *to_bob}) {
    auto m = JsonDoc::Parse(frame);
    ASSERT_TRUE(m) << frame;
    EXPECT_EQ(m->Str("type"), "chat");
    EXPECT_EQ(m->Str("room"), "general");
    EXPECT_FALSE(m->Str("id").empty()) << frame;
    EXPECT_GE(m->Int("seq"), 1);
    EXPECT_EQ(m->Str("username"), "alice");
    EXPECT_EQ(m->Str("message"), "hello \xf0\x9f\x91\x8b \"quoted\"");
    EXPECT_GT(m->Int("timestamp"), 1600000000000) << "milliseconds since the epoch";
  }
  auto a = JsonDoc::Parse(*to_alice);
  auto b = JsonDoc::Parse(*to_bob);
  EXPECT_EQ(a->Str("id"), b->Str("id"));
  EXPECT_EQ(a->Int("seq"), b->Int("seq"));

  auto next = JsonDoc::Parse(SendAndEcho(bob, "reply"));
  EXPECT_EQ(next->Int("seq"), a->Int("seq") + 1) << "seq grows by one per message";
  EXPECT_NE(next->Str("id"), a->Str("id"));
}

TEST_F(ParleyTest, RoomsAreIsolated) {
  WsClient& alice = Join("alice", "red");
  WsClient& bob = Join("bob", "blue");
  SendAndEcho(alice, "for red only");
  // Alice's message was delivered before Bob sent his; had it leaked to Bob it would be
  // the first chat frame he reads.
  ASSERT_TRUE(bob.SendText("for blue only"));
  std::optional<std::string> first = bob.ReadChat(AfterSeconds(10));
  ASSERT_TRUE(first) << bob.error();
  auto own = JsonDoc::Parse(*first);
  EXPECT_EQ(own->Str("message"), "for blue only");
  EXPECT_EQ(own->Str("room"), "blue");
  auto blue = GetJson("/api/history?room=blue");
  ASSERT_TRUE(blue);
  std::vector<std::string> items = blue->Items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(JsonDoc::Parse(items[0])->Str("message"), "for blue only");
  auto users = GetJson("/api/users?room=red");
  EXPECT_EQ(users->StrList("users"), (std::vector<std::string>{"alice"}));
}

TEST_F(ParleyTest, BadMessagesGetErrorFramesAndTheConnectionStays) {
  WsClient& alice = Join("alice");
  struct Bad {
    std::string frame;
    const char* code;
  } cases[] = {
      {testing::EncodeWsFrame(testing::op::kText, " \t\n "), "empty_message"},
      {testing::EncodeWsFrame(testing::op::kText, std::string(4097, 'x')), "message_too_large"},
      {testing::EncodeWsFrame(testing::op::kBinary, "\x01\x02"), "bad_request"},
  };
  for (const Bad& bad : cases) {
    ASSERT_TRUE(alice.SendRaw(bad.frame));
    std::optional<std::string> err = alice.ReadUntilType("error", AfterSeconds(10));
    ASSERT_TRUE(err) << bad.code << ": " << alice.error();
    auto e = JsonDoc::Parse(*err);
    EXPECT_EQ(e->Str("code"), bad.code);
    EXPECT_FALSE(e->Str("message").empty());
  }
  SendAndEcho(alice, "still connected");
  auto history = GetJson("/api/history?room=general");
  EXPECT_EQ(history->Items().size(), 1u) << "rejected messages are not stored";
}

}  // namespace
}  // namespace parley::integration
