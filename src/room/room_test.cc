#include "room/room.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "room/room_test_util.h"

namespace parley::room {
namespace {

using testing_util::ChatSeqs;
using testing_util::FakeEffects;
using testing_util::Field;
using testing_util::RoomTest;

TEST_F(RoomTest, Seed004JoinerGetsHistoryThenSnapshotAndOthersGetUserJoined) {
  room_.Join({0, 1}, "alice", false, std::nullopt);
  ASSERT_EQ(fx_.welcomed.size(), 2u);
  EXPECT_EQ(Field(fx_.welcomed[0].json, "type"), "history");
  EXPECT_EQ(Field(fx_.welcomed[1].json, "event"), "snapshot");
  EXPECT_EQ(Field(fx_.welcomed[1].json, "userCount"), "1");
  EXPECT_TRUE(fx_.delivered.empty()) << "nobody else to tell";

  room_.Join({1, 7}, "bob", false, std::nullopt);
  ASSERT_EQ(fx_.delivered.size(), 1u);
  EXPECT_EQ(fx_.delivered[0].shard, 0) << "only shard 0 has subscribers yet";
  EXPECT_EQ(Field(fx_.delivered[0].json, "event"), "user_joined");
  EXPECT_TRUE(fx_.delivered[0].droppable) << "presence is shed first by a slow reader";
  EXPECT_EQ(room_.Usernames(), (std::vector<std::string>{"alice", "bob"}));
}

TEST_F(RoomTest, Seed003MembersGetTheirOwnFramesEncodedOnceForAllOfThem) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  room_.JoinSeed003({1, 2}, "u-2", "Ben");
  ASSERT_EQ(fx_.welcome_topics.back(), Seed003Topic("general"));
  EXPECT_EQ(Field(fx_.welcomed.back().json, "type"), "joined-room");
  ASSERT_EQ(fx_.delivered.size(), 1u);
  EXPECT_EQ(Field(fx_.delivered[0].json, "event"), "user_joined") << "alice hears of Ben";
  EXPECT_EQ(fx_.delivered[0].topic, "general");
  room_.JoinSeed003({1, 3}, "u-3", "Cat");
  ASSERT_EQ(fx_.delivered.size(), 3u);
  EXPECT_EQ(fx_.delivered[2].topic, Seed003Topic("general"));
  EXPECT_EQ(Field(fx_.delivered[2].json, "type"), "user-joined");
  EXPECT_EQ(Field(fx_.delivered[2].json, "userId"), "u-3");
  fx_.delivered.clear();

  PostDurable({1, 2}, "hi", "s3-1");
  ASSERT_EQ(fx_.delivered.size(), 2u) << "one frame per vocabulary, each to one shard";
  EXPECT_EQ(fx_.delivered[0].topic, "general");
  EXPECT_EQ(fx_.delivered[0].shard, 0);
  EXPECT_EQ(Field(fx_.delivered[0].json, "username"), "Ben");
  EXPECT_EQ(fx_.delivered[1].topic, Seed003Topic("general"));
  EXPECT_EQ(fx_.delivered[1].shard, 1);
  EXPECT_EQ(Field(fx_.delivered[1].json, "type"), "new-message");
  EXPECT_EQ(Field(fx_.delivered[1].json, "userId"), "u-2");
  ASSERT_EQ(fx_.sent.size(), 1u);
  EXPECT_EQ(Field(fx_.sent[0].json, "type"), "message-sent");

  room_.Leave({1, 2});
  room_.Leave({1, 3});
  fx_.delivered.clear();
  PostDurable({0, 1}, "alone", "c-1");
  ASSERT_EQ(fx_.delivered.size(), 1u) << "no seed 003 member left: no new-message encoded";
  EXPECT_EQ(Field(fx_.sent.back().json, "type"), "ack");
}

TEST_F(RoomTest, AMessageIsPublishedOnlyOnceDurable) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  room_.Join({1, 2}, "bob", true, std::nullopt);
  fx_.delivered.clear();
  const int64_t seq = room_.Post({0, 1}, PostRequest{.text = "hello", .client_id = "c1"});
  EXPECT_EQ(seq, 1);
  ASSERT_EQ(fx_.persisted.size(), 1u);
  EXPECT_EQ(fx_.persisted[0].first.client_id, "c1");
  EXPECT_TRUE(fx_.delivered.empty()) << "nobody sees a message a crash could take back";
  EXPECT_TRUE(fx_.sent.empty()) << "no ack before the store says durable";
  EXPECT_FALSE(room_.idle());

  room_.OnPersisted(1, fx_.persisted[0].second, Status::Ok());
  ASSERT_EQ(fx_.delivered.size(), 2u) << "one delivery per shard with members";
  EXPECT_EQ(Field(fx_.delivered[0].json, "message"), "hello");
  ASSERT_EQ(fx_.sent.size(), 1u);
  EXPECT_EQ(Field(fx_.sent[0].json, "type"), "ack");
  EXPECT_EQ(Field(fx_.sent[0].json, "clientId"), "c1");
  EXPECT_EQ(Field(fx_.sent[0].json, "seq"), "1");
  EXPECT_EQ(room_.durable_seq(), 1);
}

TEST_F(RoomTest, ARetriedClientIdIsAcknowledgedWithTheOriginalAndNotStoredTwice) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  room_.Join({0, 2}, "alice", true, std::nullopt);  // the same user, reconnected
  room_.Post({0, 1}, PostRequest{.text = "once", .client_id = "c1"});
  EXPECT_EQ(room_.Post({0, 2}, PostRequest{.text = "once", .client_id = "c1"}), 0)
      << "a retry while the first is still being written";
  ASSERT_EQ(fx_.persisted.size(), 1u);
  room_.OnPersisted(1, fx_.persisted[0].second, Status::Ok());
  ASSERT_EQ(fx_.sent.size(), 2u) << "both connections learn the message is stored";
  EXPECT_EQ(Field(fx_.sent[0].json, "id"), Field(fx_.sent[1].json, "id"));

  EXPECT_EQ(room_.Post({0, 2}, PostRequest{.text = "once", .client_id = "c1"}), 0);
  ASSERT_EQ(fx_.sent.size(), 3u);
  EXPECT_EQ(Field(fx_.sent[2].json, "seq"), "1") << "a late retry gets the original ack";
  EXPECT_EQ(fx_.persisted.size(), 1u);

  // Another user may use the same clientId: keys are per user.
  room_.Join({0, 3}, "bob", true, std::nullopt);
  EXPECT_EQ(room_.Post({0, 3}, PostRequest{.text = "mine", .client_id = "c1"}), 2);
}

TEST_F(RoomTest, TheDedupeWindowSurvivesARestartAndExpires) {
  FakeEffects fx;
  RoomOptions o = Options();
  o.dedupe_window_ms = 60'000;
  Room r("general", o, clock_, fx);
  r.Restore(RoomTail{.last_seq = 7,
                     .client_ids = {ClientIdEntry{"alice", "c7", "id7", 7, clock_.NowMs()}}});
  r.Join({0, 1}, "alice", true, std::nullopt);
  EXPECT_EQ(r.Post({0, 1}, PostRequest{.text = "again", .client_id = "c7"}), 0);
  ASSERT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(Field(fx.sent[0].json, "id"), "id7");
  EXPECT_TRUE(fx.persisted.empty());

  clock_.Advance(60'001);
  EXPECT_EQ(r.Post({0, 1}, PostRequest{.text = "again", .client_id = "c7"}), 8)
      << "past the window the same clientId is a new message";
}

TEST_F(RoomTest, AFailedWriteRewindsTheSequenceAndTellsEachSender) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  room_.Join({1, 2}, "bob", true, std::nullopt);
  room_.Post({0, 1}, PostRequest{.text = "a", .client_id = "a1"});
  room_.Post({1, 2}, PostRequest{.text = "b", .client_id = "b1"});
  room_.Post({0, 1}, PostRequest{.text = "c", .client_id = "a2"});
  const uint64_t epoch = fx_.persisted[0].second;
  room_.OnPersisted(1, epoch, Status::Ok());
  fx_.sent.clear();
  room_.OnPersisted(2, epoch, Status(ErrorCode::kUnavailable, "disk full"));
  ASSERT_EQ(fx_.sent.size(), 2u) << "seq 2 failed, and 3 behind it cannot be stored";
  EXPECT_EQ(Field(fx_.sent[0].json, "code"), "unavailable");
  EXPECT_EQ(Field(fx_.sent[0].json, "ref"), "b1");
  EXPECT_EQ(Field(fx_.sent[1].json, "ref"), "a2");

  room_.OnPersisted(3, epoch, Status(ErrorCode::kConflict, "gap"));  // stale: ignored
  EXPECT_EQ(fx_.sent.size(), 2u);
  EXPECT_EQ(room_.Post({1, 2}, PostRequest{.text = "b", .client_id = "b1"}), 2)
      << "the sequence continues without a gap, and the failed clientId may be sent again";
  room_.OnPersisted(2, fx_.persisted.back().second, Status::Ok());
  EXPECT_EQ(room_.durable_seq(), 2);
}

TEST_F(RoomTest, SinceReplaysTheMissedMessagesFromMemory) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  for (int i = 0; i < 4; ++i) PostDurable({0, 1}, "m");
  fx_.welcomed.clear();
  fx_.sent.clear();
  room_.Join({1, 2}, "bob", true, int64_t{2});
  ASSERT_FALSE(fx_.welcomed.empty());
  EXPECT_EQ(Field(fx_.welcomed[0].json, "type"), "joined");
  EXPECT_EQ(Field(fx_.welcomed[0].json, "recovered"), "true");
  EXPECT_EQ(ChatSeqs(fx_.welcomed), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Field(fx_.welcomed.back().json, "event"), "snapshot");
  EXPECT_TRUE(fx_.reads.empty()) << "the ring covered it";
}

TEST_F(RoomTest, SinceOlderThanMemoryIsReadFromTheStoreWithoutGapOrDuplicate) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  std::vector<StoredMessage> all;
  for (int i = 0; i < 8; ++i) PostDurable({0, 1}, "m" + std::to_string(i));
  for (const auto& [m, epoch] : fx_.persisted) all.push_back(m);  // ring holds 4..8
  fx_.welcomed.clear();
  room_.Join({1, 2}, "bob", true, int64_t{1});
  ASSERT_EQ(fx_.reads.size(), 1u);
  EXPECT_EQ(fx_.reads[0].first.after_seq, 1);
  // Messages keep arriving while the store reads.
  PostDurable({0, 1}, "during");
  EXPECT_TRUE(fx_.welcomed.empty()) << "not subscribed until the replay is complete";
  // The store answers with 2..8 (it may not have 9 yet).
  std::vector<StoredMessage> page(all.begin() + 1, all.end());
  room_.OnRead(fx_.reads[0].second, std::move(page));
  EXPECT_EQ(ChatSeqs(fx_.welcomed), (std::vector<int64_t>{2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST_F(RoomTest, AFailedReplayReadFallsBackToTheLatestPage) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  for (int i = 0; i < 8; ++i) PostDurable({0, 1}, "m");  // ring holds 4..8
  fx_.welcomed.clear();
  room_.Join({1, 2}, "bob", true, int64_t{1});
  ASSERT_EQ(fx_.reads.size(), 1u);
  room_.OnRead(fx_.reads[0].second, Status(ErrorCode::kUnavailable, "disk"));
  ASSERT_FALSE(fx_.welcomed.empty());
  EXPECT_EQ(Field(fx_.welcomed[0].json, "type"), "joined") << "joined is sent exactly once";
  EXPECT_EQ(Field(fx_.welcomed[0].json, "recovered"), "false");
  EXPECT_EQ(Field(fx_.welcomed[1].json, "type"), "history");
  EXPECT_EQ(room_.connection_count(), 2) << "still a member";
}

TEST_F(RoomTest, SinceTooOldOrUnknownIsNotRecovered) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  for (int i = 0; i < 25; ++i) PostDurable({0, 1}, "m");
  fx_.welcomed.clear();
  room_.Join({1, 2}, "bob", true, int64_t{2});  // 23 behind, max_replay 20
  ASSERT_FALSE(fx_.welcomed.empty());
  EXPECT_EQ(Field(fx_.welcomed[0].json, "recovered"), "false");
  EXPECT_EQ(Field(fx_.welcomed[1].json, "type"), "history") << "the latest page instead";
  fx_.welcomed.clear();
  room_.Join({1, 3}, "carol", true, int64_t{99});  // a position this room never had
  EXPECT_EQ(Field(fx_.welcomed[0].json, "recovered"), "false");
}

TEST_F(RoomTest, MutationsGoThroughTheStoreAndAreBroadcastOnSuccess) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  PostDurable({0, 1}, "teh");
  const StoredMessage original = fx_.persisted[0].first;
  fx_.delivered.clear();
  room_.Edit({0, 1}, original.id, "the", "r1");
  ASSERT_EQ(fx_.mutations.size(), 1u);
  EXPECT_EQ(fx_.mutations[0].first.username, "alice") << "the author comes from the member";
  EXPECT_EQ(fx_.mutations[0].first.text, "the");
  StoredMessage edited = original;
  edited.text = "the";
  edited.edited_ms = clock_.NowMs();
  room_.OnMutated(fx_.mutations[0].second, MutationResult{.message = edited});
  ASSERT_EQ(fx_.delivered.size(), 1u);
  EXPECT_EQ(Field(fx_.delivered[0].json, "type"), "edit");
  EXPECT_EQ(room_.RecentHistory(0, 1)->at(0).text, "the") << "the ring follows the edit";

  room_.Join({0, 2}, "bob", true, std::nullopt);
  fx_.sent.clear();
  room_.Delete({0, 2}, original.id, "r2");
  room_.OnMutated(fx_.mutations.back().second,
                  Status(ErrorCode::kForbidden, "Only the author may delete a message."));
  ASSERT_EQ(fx_.sent.size(), 1u);
  EXPECT_EQ(Field(fx_.sent[0].json, "code"), "forbidden");
  EXPECT_EQ(Field(fx_.sent[0].json, "ref"), "r2");
}

TEST_F(RoomTest, TypingIsDroppableAndOnlyFromMembers) {
  room_.Typing({0, 9}, true);
  EXPECT_TRUE(fx_.delivered.empty());
  room_.Join({0, 1}, "alice", true, std::nullopt);
  room_.Typing({0, 1}, true);
  ASSERT_EQ(fx_.delivered.size(), 1u);
  EXPECT_TRUE(fx_.delivered[0].droppable);
  EXPECT_EQ(Field(fx_.delivered[0].json, "username"), "alice");
}

TEST_F(RoomTest, LeaveTellsTheOthersAndDuplicateNamesCountSockets) {
  room_.Join({0, 1}, "alice", false, std::nullopt);
  room_.Join({0, 2}, "alice", false, std::nullopt);  // a second tab
  room_.Join({1, 3}, "bob", false, std::nullopt);
  EXPECT_EQ(room_.connection_count(), 3);
  EXPECT_EQ(room_.Usernames().size(), 2u);
  fx_.delivered.clear();
  room_.Leave({0, 2});
  ASSERT_EQ(fx_.delivered.size(), 2u);
  EXPECT_EQ(Field(fx_.delivered[0].json, "event"), "user_left");
  EXPECT_EQ(Field(fx_.delivered[0].json, "userCount"), "2");
  room_.Leave({0, 2});  // twice: ignored
  EXPECT_EQ(room_.connection_count(), 2);
}

TEST_F(RoomTest, NonMemberCannotPost) {
  EXPECT_EQ(room_.Post({0, 9}, PostRequest{.text = "sneaky"}), 0);
  EXPECT_TRUE(fx_.persisted.empty());
}

TEST_F(RoomTest, RecentHistoryServesFromRingOnlyWhenItCoversThePage) {
  room_.Join({0, 1}, "alice", false, std::nullopt);
  for (int i = 1; i <= 8; ++i) PostDurable({0, 1}, "m");  // ring keeps seq 4..8
  auto page = room_.RecentHistory(0, 3);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ(page->front().seq, 6);
  EXPECT_EQ(page->back().seq, 8);
  EXPECT_FALSE(room_.RecentHistory(0, 100).has_value()) << "seq 1..3 are only in the store";
}

TEST_F(RoomTest, RestoreContinuesSequenceAfterRestart) {
  FakeEffects fx;
  Room r("general", RoomOptions{}, clock_, fx);
  StoredMessage old;
  old.seq = 41;
  r.Restore(RoomTail{.last_seq = 41, .recent = {old}});
  r.Join({0, 1}, "alice", false, std::nullopt);
  EXPECT_EQ(r.Post({0, 1}, PostRequest{.text = "next"}), 42);
  EXPECT_FALSE(r.idle());
  r.OnPersisted(42, fx.persisted[0].second, Status::Ok());
  r.Leave({0, 1});
  EXPECT_TRUE(r.idle());
}

TEST_F(RoomTest, PostOwnIsParleysOwnMessageAndRelayIsUnstoredAndDroppable) {
  room_.Join({0, 1}, "alice", true, std::nullopt);
  room_.JoinSeed003({1, 2}, "u-2", "Ben");
  fx_.delivered.clear();
  room_.Relay(MakeTextFrame(R"({"type":"ai_delta","text":"Hel"})"),
              MakeTextFrame(R"({"type":"ai-stream-chunk","content":"Hel"})"));
  ASSERT_EQ(fx_.delivered.size(), 2u);
  EXPECT_TRUE(fx_.delivered[0].droppable && fx_.delivered[1].droppable);
  EXPECT_EQ(Field(fx_.delivered[1].json, "type"), "ai-stream-chunk");
  EXPECT_TRUE(fx_.persisted.empty()) << "a relay is never stored";
  fx_.delivered.clear();
  const int64_t seq = room_.PostOwn("ai", "Hello world");
  ASSERT_EQ(fx_.persisted.size(), 1u);
  EXPECT_EQ(fx_.persisted[0].first.username, "ai");
  room_.OnPersisted(seq, fx_.persisted[0].second, Status::Ok());
  ASSERT_EQ(fx_.delivered.size(), 2u);
  EXPECT_EQ(Field(fx_.delivered[0].json, "username"), "ai");
  EXPECT_EQ(Field(fx_.delivered[1].json, "userName"), "ai");
  EXPECT_TRUE(fx_.sent.empty()) << "nobody is acknowledged";
  // A failed write of parley's own message tells nobody.
  const int64_t again = room_.PostOwn("ai", "lost");
  room_.OnPersisted(again, fx_.persisted.back().second, Status(ErrorCode::kUnavailable, "disk"));
  EXPECT_TRUE(fx_.sent.empty());
}

}  // namespace
}  // namespace parley::room
