// The write side of SqliteStore beyond plain appends: the no-gap rule, edits, tombstones,
// reactions and read markers, each on a real database file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace parley {
namespace {

using ::testing::HasSubstr;
using testing_util::AppendSync;
using testing_util::Change;
using testing_util::HistorySync;
using testing_util::LoadTailSync;
using testing_util::MarkRead;
using testing_util::Msg;
using testing_util::MutateSync;
using testing_util::Range;
using testing_util::Seqs;
using Kind = Mutation::Kind;

class SqliteMutationsTest : public testing_util::SqliteStoreFixture {
 protected:
  // Appends seq 1..last to `room` and returns them as sent.
  std::vector<StoredMessage> AppendMessages(const std::string& room, int64_t last) {
    std::vector<StoredMessage> sent;
    for (int64_t seq = 1; seq <= last; ++seq) {
      sent.push_back(Msg(room, seq));
      EXPECT_TRUE(AppendSync(*store_, sent.back()).ok());
    }
    return sent;
  }
  StoredMessage StoredAt(const std::string& room, int64_t seq) {
    auto page = HistorySync(*store_, room, seq + 1, 1);
    EXPECT_TRUE(page.ok() && page->size() == 1);
    return page.ok() && page->size() == 1 ? page->front() : StoredMessage{};
  }
};

TEST_F(SqliteMutationsTest, AnAppendThatWouldLeaveAGapOrRepeatASeqIsRefused) {
  ASSERT_TRUE(Open());
  EXPECT_EQ(AppendSync(*store_, Msg("empty", 2)).code(), ErrorCode::kConflict);  // first is 1
  ASSERT_TRUE(AppendSync(*store_, Msg("general", 1)).ok());

  Status gap = AppendSync(*store_, Msg("general", 3));
  EXPECT_EQ(gap.code(), ErrorCode::kConflict);
  EXPECT_THAT(gap.message(), HasSubstr("gap"));
  StoredMessage again = Msg("general", 1);
  again.id = "another-id";
  EXPECT_EQ(AppendSync(*store_, again).code(), ErrorCode::kConflict);

  EXPECT_TRUE(AppendSync(*store_, Msg("general", 2)).ok());
  auto tail = LoadTailSync(*store_, "general", 10);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(Seqs(tail->recent), Range(1, 2));
  auto empty = LoadTailSync(*store_, "empty", 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->last_seq, 0);
}

TEST_F(SqliteMutationsTest, AfterAFailedBatchTheNextCorrectSeqIsAccepted) {
  StoreOptions o = Options();
  o.fail_commit_after = 1;
  o.fail_commits = 1;
  o.commit_window_us = 100'000;  // the three writes below usually share the failing batch
  ASSERT_TRUE(Open(o));
  ASSERT_TRUE(AppendSync(*store_, Msg("general", 1)).ok());

  auto statuses = std::make_shared<std::vector<Status>>(3);
  auto marker = std::make_shared<int64_t>(-1);
  store_->Append(Msg("general", 2), [statuses](const Status& s) { (*statuses)[0] = s; });
  store_->Append(Msg("general", 3), [statuses](const Status& s) { (*statuses)[1] = s; });
  store_->Mutate(MarkRead("general", "bob", 3), [statuses, marker](Result<MutationResult> r) {
    (*statuses)[2] = r.status();
    if (r.ok()) *marker = r->read_seq;
  });
  store_->Flush();
  // Seq 2 is in the failing batch. Seq 3 and the marker either shared it, or came after it
  // to a room that still ends at seq 1: either way the store holds neither 2 nor 3.
  EXPECT_EQ((*statuses)[0].code(), ErrorCode::kUnavailable);
  EXPECT_THAT((*statuses)[1].code(),
              ::testing::AnyOf(ErrorCode::kUnavailable, ErrorCode::kConflict));
  if ((*statuses)[2].ok()) {
    EXPECT_EQ(*marker, 1);
  } else {
    EXPECT_EQ((*statuses)[2].code(), ErrorCode::kUnavailable);
  }

  // The room resends from seq 2.
  EXPECT_EQ(AppendSync(*store_, Msg("general", 4)).code(), ErrorCode::kConflict);
  EXPECT_TRUE(AppendSync(*store_, Msg("general", 2)).ok());
  EXPECT_TRUE(AppendSync(*store_, Msg("general", 3)).ok());
  auto tail = LoadTailSync(*store_, TailQuery{.room = "general"});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(Seqs(tail->recent), Range(1, 3));
}

TEST_F(SqliteMutationsTest, TheAuthorEditsTextAndTheEditTimeIsKept) {
  ASSERT_TRUE(Open());
  auto sent = AppendMessages("general", 3);
  const StoredMessage& target = sent[1];

  auto edited = MutateSync(*store_, Change(Kind::kEdit, target, target.username, "fixed", 42));
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  StoredMessage expected = target;
  expected.text = "fixed";
  expected.edited_ms = 42;
  EXPECT_EQ(edited->message, expected);
  EXPECT_EQ(StoredAt("general", 2), expected);
}

TEST_F(SqliteMutationsTest, EditsAndDeletesAreRefusedToOthersAndForMissingMessages) {
  ASSERT_TRUE(Open());
  auto sent = AppendMessages("general", 2);
  AppendMessages("other", 1);
  const StoredMessage& target = sent[0];

  auto by_other = MutateSync(*store_, Change(Kind::kEdit, target, "mallory", "hacked"));
  EXPECT_EQ(by_other.status().code(), ErrorCode::kForbidden);
  auto delete_by_other = MutateSync(*store_, Change(Kind::kDelete, target, "mallory"));
  EXPECT_EQ(delete_by_other.status().code(), ErrorCode::kForbidden);

  StoredMessage unknown = target;
  unknown.id = "no-such-id";
  EXPECT_EQ(MutateSync(*store_, Change(Kind::kEdit, unknown, target.username, "x")).status().code(),
            ErrorCode::kNotFound);
  StoredMessage elsewhere = Msg("other", 1);  // exists, but in another room
  elsewhere.room = "general";
  EXPECT_EQ(
      MutateSync(*store_, Change(Kind::kDelete, elsewhere, elsewhere.username)).status().code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(StoredAt("general", 1), target);  // nothing changed
}

TEST_F(SqliteMutationsTest, DeleteLeavesATombstoneAndIsIdempotent) {
  ASSERT_TRUE(Open());
  auto sent = AppendMessages("general", 3);
  StoredMessage target = sent[1];  // has an image
  ASSERT_FALSE(target.image_url.empty());
  ASSERT_TRUE(MutateSync(*store_, Change(Kind::kToggleReaction, target, "bob", "+1")).ok());

  auto deleted = MutateSync(*store_, Change(Kind::kDelete, target, target.username));
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  StoredMessage tombstone = target;
  tombstone.text = "";
  tombstone.image_url = "";
  tombstone.deleted = true;
  EXPECT_EQ(deleted->message, tombstone);  // no reactions, same seq, id, author, time
  EXPECT_EQ(StoredAt("general", 2), tombstone);

  auto again = MutateSync(*store_, Change(Kind::kDelete, target, target.username));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->message, tombstone);
  EXPECT_EQ(MutateSync(*store_, Change(Kind::kEdit, target, target.username, "x")).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(MutateSync(*store_, Change(Kind::kToggleReaction, target, "bob", "+1")).status().code(),
            ErrorCode::kNotFound);
  auto history = HistorySync(*store_, "general", 0, 10);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(Seqs(*history), Range(1, 3));  // the tombstone keeps its place
}

TEST_F(SqliteMutationsTest, ReactionsToggleAndKeepTheOrderPeopleReacted) {
  ASSERT_TRUE(Open());
  auto sent = AppendMessages("general", 1);
  const StoredMessage& target = sent[0];
  auto toggle = [&](const std::string& user, const std::string& emoji) {
    auto r = MutateSync(*store_, Change(Kind::kToggleReaction, target, user, emoji));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : MutationResult{};
  };
  EXPECT_TRUE(toggle("zoe", "+1").added);
  EXPECT_TRUE(toggle("carol", "heart").added);
  EXPECT_TRUE(toggle("alice", "+1").added);
  MutationResult r = toggle("carol", "+1");
  EXPECT_TRUE(r.added);
  std::vector<Reaction> expected = {{"+1", {"zoe", "alice", "carol"}}, {"heart", {"carol"}}};
  EXPECT_EQ(r.message.reactions, expected);

  // Order follows the reactions that remain: with zoe's gone, "+1" was first used by alice,
  // after carol's "heart".
  r = toggle("zoe", "+1");
  EXPECT_FALSE(r.added);
  expected = {{"heart", {"carol"}}, {"+1", {"alice", "carol"}}};
  EXPECT_EQ(r.message.reactions, expected);
  r = toggle("zoe", "+1");  // back on, now the latest
  EXPECT_TRUE(r.added);
  expected = {{"heart", {"carol"}}, {"+1", {"alice", "carol", "zoe"}}};
  EXPECT_EQ(r.message.reactions, expected);

  r = toggle("carol", "heart");
  EXPECT_FALSE(r.added);
  expected = {{"+1", {"alice", "carol", "zoe"}}};
  EXPECT_EQ(r.message.reactions, expected);
  r = toggle("amy", "heart");
  expected = {{"+1", {"alice", "carol", "zoe"}}, {"heart", {"amy"}}};
  EXPECT_EQ(r.message.reactions, expected);
  EXPECT_EQ(StoredAt("general", 1).reactions, expected);
}

TEST_F(SqliteMutationsTest, ReadMarkersNeverMoveBackwardsNorPastTheEnd) {
  ASSERT_TRUE(Open());
  AppendMessages("general", 10);
  auto mark = [&](const std::string& user, int64_t seq) {
    auto r = MutateSync(*store_, MarkRead("general", user, seq));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->read_seq : -1;
  };
  EXPECT_EQ(mark("bob", 5), 5);
  EXPECT_EQ(mark("bob", 3), 5);
  EXPECT_EQ(mark("bob", 8), 8);
  EXPECT_EQ(mark("bob", 99), 10);
  EXPECT_EQ(mark("carol", 2), 2);
  ASSERT_TRUE(AppendSync(*store_, Msg("general", 11)).ok());
  EXPECT_EQ(mark("bob", 99), 11);  // the end moves with the room

  auto tail = LoadTailSync(*store_, TailQuery{.room = "general"});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->read_markers, (std::vector<ReadMarker>{{"bob", 11}, {"carol", 2}}));
}

TEST_F(SqliteMutationsTest, AMutationQueuedRightAfterItsAppendSeesTheMessage) {
  ASSERT_TRUE(Open());
  constexpr int kCount = 300;
  std::mutex mu;
  std::vector<std::string> order;
  auto failures = std::make_shared<std::atomic<int>>(0);
  for (int64_t seq = 1; seq <= kCount; ++seq) {
    StoredMessage m = Msg("general", seq);
    Mutation edit = Change(Kind::kEdit, m, m.username, "edited " + std::to_string(seq), seq);
    Mutation react = Change(Kind::kToggleReaction, m, "bob", "+1");
    store_->Append(m, [&, seq, failures](const Status& s) {
      if (!s.ok()) ++*failures;
      std::lock_guard lock(mu);
      order.push_back("append " + std::to_string(seq));
    });
    for (Mutation* mutation : {&edit, &react}) {
      store_->Mutate(std::move(*mutation), [&, seq, failures](Result<MutationResult> r) {
        if (!r.ok()) ++*failures;
        std::lock_guard lock(mu);
        order.push_back("mutate " + std::to_string(seq));
      });
    }
  }
  store_->Flush();
  EXPECT_EQ(*failures, 0);
  ASSERT_EQ(order.size(), 3u * kCount);
  for (int64_t seq = 1; seq <= kCount; ++seq) {  // callbacks run in queue order
    EXPECT_EQ(order[3 * (seq - 1)], "append " + std::to_string(seq));
  }
  auto history = HistorySync(*store_, "general", 0, kCount);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), static_cast<size_t>(kCount));
  for (const StoredMessage& m : *history) {
    EXPECT_EQ(m.text, "edited " + std::to_string(m.seq));
    EXPECT_EQ(m.edited_ms, m.seq);
    EXPECT_EQ(m.reactions, (std::vector<Reaction>{{"+1", {"bob"}}}));
  }
}

TEST_F(SqliteMutationsTest, EveryChangeSurvivesReopening) {
  ASSERT_TRUE(Open());
  auto sent = AppendMessages("general", 4);
  ASSERT_TRUE(
      MutateSync(*store_, Change(Kind::kEdit, sent[0], sent[0].username, "new words", 7)).ok());
  ASSERT_TRUE(MutateSync(*store_, Change(Kind::kDelete, sent[1], sent[1].username)).ok());
  ASSERT_TRUE(MutateSync(*store_, Change(Kind::kToggleReaction, sent[2], "bob", "+1")).ok());
  ASSERT_TRUE(MutateSync(*store_, Change(Kind::kToggleReaction, sent[2], "amy", "+1")).ok());
  ASSERT_TRUE(MutateSync(*store_, MarkRead("general", "bob", 3)).ok());
  auto before = HistorySync(*store_, "general", 0, 10);
  ASSERT_TRUE(before.ok());

  ASSERT_TRUE(Open());
  auto after = HistorySync(*store_, "general", 0, 10);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before);
  EXPECT_EQ((*after)[0].text, "new words");
  EXPECT_TRUE((*after)[1].deleted);
  EXPECT_EQ((*after)[2].reactions, (std::vector<Reaction>{{"+1", {"bob", "amy"}}}));
  auto tail = LoadTailSync(*store_, TailQuery{.room = "general"});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->read_markers, (std::vector<ReadMarker>{{"bob", 3}}));
  auto found = testing_util::SearchSync(*store_, SearchQuery{.room = "general", .text = "words"});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(Seqs(*found), (std::vector<int64_t>{1}));
  // The reopened writer knows where the room ends.
  EXPECT_EQ(AppendSync(*store_, Msg("general", 6)).code(), ErrorCode::kConflict);
  EXPECT_TRUE(AppendSync(*store_, Msg("general", 5)).ok());
  EXPECT_EQ(MutateSync(*store_, MarkRead("general", "bob", 1))->read_seq, 3);
}

}  // namespace
}  // namespace parley
