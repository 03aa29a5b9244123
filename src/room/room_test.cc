#include "room/room.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace parley::room {
namespace {

// Records every effect, the way a shard would carry it out.
struct FakeEffects : RoomEffects {
  struct Sent {
    MemberRef to;
    std::string json;
  };
  std::vector<Sent> welcomed;                          // frames sent to a joiner
  std::vector<std::pair<int, std::string>> delivered;  // (shard, payload json)
  std::vector<StoredMessage> persisted;

  static std::string Payload(const SharedFrame& f) {
    // Server frames are unmasked; skip the 2, 4 or 10 byte header.
    const auto len7 = static_cast<uint8_t>((*f)[1]) & 0x7F;
    const size_t header = len7 < 126 ? 2 : (len7 == 126 ? 4 : 10);
    return f->substr(header);
  }
  void Welcome(const MemberRef& to, const std::string&, std::vector<SharedFrame> frames) override {
    for (auto& f : frames) welcomed.push_back({to, Payload(f)});
  }
  void Deliver(int shard, const std::string&, SharedFrame frame) override {
    delivered.emplace_back(shard, Payload(frame));
  }
  void Persist(const StoredMessage& m) override { persisted.push_back(m); }
};

std::string Field(const std::string& json, const char* key) {
  simdjson::dom::parser p;
  auto el = p.parse(json)[key];
  if (el.is_string()) return std::string(std::string_view(el));
  return std::to_string(int64_t(el));
}

class RoomTest : public ::testing::Test {
 protected:
  RoomTest()
      : room_("general", RoomOptions{.shard_count = 2, .join_messages = 3, .ring_size = 5}, clock_,
              fx_) {
    room_.Restore(RoomTail{});
  }
  ManualClock clock_;
  FakeEffects fx_;
  Room room_;
};

TEST_F(RoomTest, JoinerGetsHistoryThenSnapshotAndOthersGetUserJoined) {
  room_.Join({0, 1}, "alice");
  ASSERT_EQ(fx_.welcomed.size(), 2u);
  EXPECT_EQ(Field(fx_.welcomed[0].json, "type"), "history");
  EXPECT_EQ(Field(fx_.welcomed[1].json, "event"), "snapshot");
  EXPECT_EQ(Field(fx_.welcomed[1].json, "userCount"), "1");
  EXPECT_TRUE(fx_.delivered.empty()) << "nobody else to tell";

  room_.Join({1, 7}, "bob");
  ASSERT_EQ(fx_.delivered.size(), 1u);
  EXPECT_EQ(fx_.delivered[0].first, 0) << "only shard 0 has subscribers yet";
  EXPECT_EQ(Field(fx_.delivered[0].second, "event"), "user_joined");
  EXPECT_EQ(Field(fx_.delivered[0].second, "username"), "bob");
  EXPECT_EQ(Field(fx_.delivered[0].second, "userCount"), "2");
  EXPECT_EQ(room_.Usernames(), (std::vector<std::string>{"alice", "bob"}));
}

TEST_F(RoomTest, PostAssignsGaplessSeqDeliversToEveryShardAndPersists) {
  room_.Join({0, 1}, "alice");
  room_.Join({1, 2}, "bob");
  fx_.delivered.clear();
  clock_.Advance(5);
  auto m1 = room_.Post({0, 1}, "hello");
  auto m2 = room_.Post({1, 2}, "hi");
  ASSERT_TRUE(m1 && m2);
  EXPECT_EQ(m1->seq, 1);
  EXPECT_EQ(m2->seq, 2);
  EXPECT_NE(m1->id, m2->id);
  EXPECT_EQ(m1->timestamp_ms, clock_.NowMs());
  EXPECT_EQ(fx_.delivered.size(), 4u) << "two messages to two shards";
  EXPECT_EQ(Field(fx_.delivered[0].second, "message"), "hello");
  EXPECT_EQ(Field(fx_.delivered[0].second, "username"), "alice");
  ASSERT_EQ(fx_.persisted.size(), 2u);
  EXPECT_EQ(fx_.persisted[1].text, "hi");
  EXPECT_FALSE(room_.idle());
}

TEST_F(RoomTest, NonMemberCannotPost) {
  EXPECT_FALSE(room_.Post({0, 9}, "sneaky").has_value());
  EXPECT_TRUE(fx_.persisted.empty());
}

TEST_F(RoomTest, LeaveTellsTheOthersAndDuplicateNamesCountSockets) {
  room_.Join({0, 1}, "alice");
  room_.Join({0, 2}, "alice");  // a second tab
  room_.Join({1, 3}, "bob");
  EXPECT_EQ(room_.connection_count(), 3);
  EXPECT_EQ(room_.Usernames().size(), 2u);
  fx_.delivered.clear();
  room_.Leave({0, 2});
  ASSERT_EQ(fx_.delivered.size(), 2u);
  EXPECT_EQ(Field(fx_.delivered[0].second, "event"), "user_left");
  EXPECT_EQ(Field(fx_.delivered[0].second, "userCount"), "2");
  room_.Leave({0, 2});  // twice: ignored
  EXPECT_EQ(room_.connection_count(), 2);
}

TEST_F(RoomTest, JoinHistoryIsTheNewestMessagesOldestFirst) {
  room_.Join({0, 1}, "alice");
  for (int i = 1; i <= 4; ++i) room_.Post({0, 1}, "m" + std::to_string(i));
  fx_.welcomed.clear();
  room_.Join({0, 2}, "bob");
  simdjson::dom::parser p;
  simdjson::dom::array msgs = p.parse(fx_.welcomed[0].json)["messages"];
  ASSERT_EQ(msgs.size(), 3u);  // join_messages = 3
  EXPECT_EQ(int64_t(msgs.at(0)["seq"]), 2);
  EXPECT_EQ(int64_t(msgs.at(2)["seq"]), 4);
}

TEST_F(RoomTest, RecentHistoryServesFromRingOnlyWhenItCoversThePage) {
  room_.Join({0, 1}, "alice");
  for (int i = 1; i <= 8; ++i) room_.Post({0, 1}, "m");  // ring keeps seq 4..8
  auto page = room_.RecentHistory(0, 3);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ(page->front().seq, 6);
  EXPECT_EQ(page->back().seq, 8);
  auto older = room_.RecentHistory(7, 3);
  ASSERT_TRUE(older.has_value());
  EXPECT_EQ(older->front().seq, 4);
  EXPECT_FALSE(room_.RecentHistory(0, 100).has_value()) << "seq 1..3 are only in the store";
  EXPECT_FALSE(room_.RecentHistory(4, 2).has_value());
}

TEST_F(RoomTest, RestoreContinuesSequenceAfterRestart) {
  FakeEffects fx;
  Room r("general", RoomOptions{}, clock_, fx);
  StoredMessage old;
  old.seq = 41;
  r.Restore(RoomTail{.last_seq = 41, .recent = {old}});
  r.Join({0, 1}, "alice");
  EXPECT_EQ(r.Post({0, 1}, "next")->seq, 42);
  EXPECT_FALSE(r.idle());
  r.MarkDurable(42);
  r.Leave({0, 1});
  EXPECT_TRUE(r.idle());
}

}  // namespace
}  // namespace parley::room
