// Posts and reactions that come from outside a room (the HTTP API, Room::PostAs/ReactAs):
// same sequencing, dedupe window and broadcasts as a member's, answered through
// RoomEffects::Answer.
#include <gtest/gtest.h>

#include "room/room.h"
#include "room/room_test_util.h"

namespace parley::room {
namespace {

using testing_util::Field;
using testing_util::RoomTest;

class RoomOutsideTest : public RoomTest {
 protected:
  // The frames delivered to the room's subscribers whose type is `type`.
  std::vector<std::string> Delivered(std::string_view type) const {
    std::vector<std::string> out;
    for (const auto& d : fx_.delivered) {
      if (Field(d.json, "type") == type) out.push_back(d.json);
    }
    return out;
  }
  void Durable(int64_t seq) { room_.OnPersisted(seq, fx_.persisted.back().second, Status::Ok()); }
};

TEST_F(RoomOutsideTest, APostIsAnsweredOnceDurableAndDeliveredLikeAMembers) {
  room_.Join({1, 5}, "bob", true, std::nullopt);
  room_.PostAs("alice", PostRequest{.text = "over http", .client_id = "k1"}, 7);
  ASSERT_EQ(fx_.persisted.size(), 1u);
  EXPECT_EQ(fx_.persisted[0].first.username, "alice");
  EXPECT_TRUE(fx_.answers.empty()) << "nothing is answered before the store says durable";
  EXPECT_TRUE(Delivered("chat").empty());

  Durable(1);
  ASSERT_EQ(fx_.answers.size(), 1u);
  EXPECT_EQ(fx_.answers[0].first, 7u);
  ASSERT_TRUE(fx_.answers[0].second.ok());
  const RoomAnswer& a = *fx_.answers[0].second;
  EXPECT_EQ(a.message.seq, 1);
  EXPECT_EQ(a.message.text, "over http");
  EXPECT_EQ(a.message.client_id, "k1");
  EXPECT_FALSE(a.duplicate);
  ASSERT_EQ(Delivered("chat").size(), 1u);
  EXPECT_EQ(Field(Delivered("chat")[0], "username"), "alice");
  EXPECT_EQ(Field(Delivered("chat")[0], "id"), a.message.id);
  for (const auto& s : fx_.sent) EXPECT_NE(s.to.shard, -1) << "no frame goes to the poster";
  EXPECT_EQ(room_.RecentHistory(0, 10)->size(), 1u);
}

TEST_F(RoomOutsideTest, ARetriedClientIdStoresOneMessageWhileWaitingAndAfter) {
  room_.PostAs("alice", PostRequest{.text = "once", .client_id = "k1"}, 1);
  room_.PostAs("alice", PostRequest{.text = "once", .client_id = "k1"}, 2);
  EXPECT_EQ(fx_.persisted.size(), 1u);
  Durable(1);
  room_.PostAs("alice", PostRequest{.text = "once", .client_id = "k1"}, 3);
  EXPECT_EQ(fx_.persisted.size(), 1u);
  ASSERT_EQ(fx_.answers.size(), 3u);
  for (const auto& [waiter, answer] : fx_.answers) {
    ASSERT_TRUE(answer.ok());
    EXPECT_EQ(answer->message.id, fx_.persisted[0].first.id);
    EXPECT_EQ(answer->duplicate, waiter != 1) << waiter;
  }
  // Another author's key is their own.
  room_.PostAs("bob", PostRequest{.text = "mine", .client_id = "k1"}, 4);
  EXPECT_EQ(fx_.persisted.size(), 2u);
}

TEST_F(RoomOutsideTest, ASocketsClientIdAndAnHttpKeyShareTheWindow) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  const int64_t seq = PostDurable({0, 1}, "from the socket", "c-1");
  room_.PostAs("alice", PostRequest{.text = "from the socket", .client_id = "c-1"}, 9);
  EXPECT_EQ(fx_.persisted.size(), 1u);
  ASSERT_EQ(fx_.answers.size(), 1u);
  EXPECT_EQ(fx_.answers[0].second->message.seq, seq);
  EXPECT_TRUE(fx_.answers[0].second->duplicate);
}

TEST_F(RoomOutsideTest, ARetryOlderThanTheRingIsReadBack) {
  room_.PostAs("alice", PostRequest{.text = "old", .client_id = "k1"}, 1);
  Durable(1);
  room_.Join({0, 1}, "bob", true, std::nullopt);
  for (int i = 0; i < 6; ++i) PostDurable({0, 1}, "newer");  // ring_size 5 pushes seq 1 out
  fx_.reads.clear();
  room_.PostAs("alice", PostRequest{.text = "old", .client_id = "k1"}, 2);
  ASSERT_EQ(fx_.reads.size(), 1u);
  EXPECT_EQ(fx_.reads[0].first.before_seq, 2);
  StoredMessage stored = fx_.persisted[0].first;
  room_.OnRead(fx_.reads[0].second, std::vector<StoredMessage>{stored});
  ASSERT_EQ(fx_.answers.size(), 2u);
  EXPECT_EQ(fx_.answers[1].second->message.id, stored.id);
  EXPECT_TRUE(fx_.answers[1].second->duplicate);
}

TEST_F(RoomOutsideTest, AFailedWriteAnswersUnavailableAndForgetsTheKey) {
  room_.PostAs("alice", PostRequest{.text = "lost", .client_id = "k1"}, 1);
  room_.OnPersisted(1, fx_.persisted.back().second, Status(ErrorCode::kUnavailable, "disk"));
  ASSERT_EQ(fx_.answers.size(), 1u);
  EXPECT_EQ(fx_.answers[0].second.status().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(fx_.sent.empty());
  room_.PostAs("alice", PostRequest{.text = "lost", .client_id = "k1"}, 2);
  EXPECT_EQ(fx_.persisted.size(), 2u) << "the retry is stored, at the same seq";
  EXPECT_EQ(fx_.persisted[1].first.seq, 1);
}

TEST_F(RoomOutsideTest, AReactionIsBroadcastAndAnsweredWithTheReactions) {
  room_.Join({1, 2}, "bob", true, std::nullopt);
  room_.ReactAs("alice", "m1", "👍", 5);
  ASSERT_EQ(fx_.mutations.size(), 1u);
  const Mutation& m = fx_.mutations[0].first;
  EXPECT_EQ(m.kind, Mutation::Kind::kToggleReaction);
  EXPECT_EQ(m.username, "alice");
  EXPECT_EQ(m.room, "general");
  EXPECT_EQ(m.text, "👍");
  MutationResult r;
  r.message.room = "general";
  r.message.id = "m1";
  r.message.seq = 1;
  r.message.reactions = {{"👍", {"alice"}}};
  r.added = true;
  room_.OnMutated(fx_.mutations[0].second, r);
  ASSERT_EQ(Delivered("reaction").size(), 1u);
  EXPECT_EQ(Field(Delivered("reaction")[0], "username"), "alice");
  ASSERT_EQ(fx_.answers.size(), 1u);
  EXPECT_EQ(fx_.answers[0].first, 5u);
  EXPECT_TRUE(fx_.answers[0].second->added);
  EXPECT_EQ(fx_.answers[0].second->message.reactions, r.message.reactions);

  room_.ReactAs("alice", "nope", "👍", 6);
  room_.OnMutated(fx_.mutations[1].second, Status(ErrorCode::kNotFound, "No such message."));
  ASSERT_EQ(fx_.answers.size(), 2u);
  EXPECT_EQ(fx_.answers[1].second.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Delivered("reaction").size(), 1u);
}

}  // namespace
}  // namespace parley::room
