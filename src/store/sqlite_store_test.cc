#include "store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "store/sqlite_db.h"
#include "store/store_test_util.h"

namespace parley {
namespace {

using ::testing::HasSubstr;
using testing_util::AppendSync;
using testing_util::HistorySync;
using testing_util::LoadTailSync;
using testing_util::Msg;
using testing_util::Range;
using testing_util::ScopedTempDir;
using testing_util::Seqs;

class SqliteStoreTest : public ::testing::Test {
 protected:
  StoreOptions Options() const {
    StoreOptions o;
    o.path = dir_.File("data/parley.db");  // "data/" does not exist yet: Open creates it
    o.readers = 2;
    return o;
  }

  std::unique_ptr<SqliteStore> OpenStore(const StoreOptions& o) {
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(o);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::unique_ptr<SqliteStore> OpenStore() { return OpenStore(Options()); }

  // Appends seq first..last to `room` without waiting, then waits for all of them.
  void AppendRange(Store& store, const std::string& room, int64_t first, int64_t last) {
    auto failures = std::make_shared<std::atomic<int>>(0);
    for (int64_t seq = first; seq <= last; ++seq) {
      store.Append(Msg(room, seq), [failures](const Status& s) {
        if (!s.ok()) ++*failures;
      });
    }
    store.Flush();
    EXPECT_EQ(*failures, 0);
  }

  ScopedTempDir dir_;
};

TEST_F(SqliteStoreTest, AppendedMessagesReadBackUnchanged) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<StoredMessage> sent = {Msg("general", 1), Msg("general", 2), Msg("general", 3)};
  for (const auto& m : sent) ASSERT_TRUE(AppendSync(*store, m).ok());

  auto history = HistorySync(*store, "general", 0, 100);
  ASSERT_TRUE(history.ok()) << history.status().message();
  EXPECT_EQ(*history, sent);  // every field, client_id both empty and set
}

TEST_F(SqliteStoreTest, HistoryPagesAreOldestFirstAndStopBeforeSeq) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  AppendRange(*store, "general", 1, 250);

  auto newest = HistorySync(*store, "general", 0, 100);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(Seqs(*newest), Range(151, 250));

  auto older = HistorySync(*store, "general", 151, 100);
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(Seqs(*older), Range(51, 150));

  auto oldest = HistorySync(*store, "general", 51, 100);
  ASSERT_TRUE(oldest.ok());
  EXPECT_EQ(Seqs(*oldest), Range(1, 50));

  auto none = HistorySync(*store, "general", 1, 100);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SqliteStoreTest, HistoryLimitIsClampedToOneAndMax) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  AppendRange(*store, "general", 1, SqliteStore::kMaxReadRows + 5);

  auto zero = HistorySync(*store, "general", 0, 0);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(Seqs(*zero), Range(SqliteStore::kMaxReadRows + 5, SqliteStore::kMaxReadRows + 5));

  auto huge = HistorySync(*store, "general", 0, 1'000'000);
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(Seqs(*huge), Range(6, SqliteStore::kMaxReadRows + 5));
}

TEST_F(SqliteStoreTest, LoadTailOfUnknownRoomIsEmpty) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto tail = LoadTailSync(*store, "nobody-here", 50);
  ASSERT_TRUE(tail.ok()) << tail.status().message();
  EXPECT_EQ(tail->last_seq, 0);
  EXPECT_TRUE(tail->recent.empty());
}

TEST_F(SqliteStoreTest, LoadTailGivesLastSeqAndNewestMessagesOldestFirst) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  AppendRange(*store, "general", 1, 80);

  auto tail = LoadTailSync(*store, "general", 50);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->last_seq, 80);
  EXPECT_EQ(Seqs(tail->recent), Range(31, 80));
  EXPECT_EQ(tail->recent.back(), Msg("general", 80));

  auto seq_only = LoadTailSync(*store, "general", 0);
  ASSERT_TRUE(seq_only.ok());
  EXPECT_EQ(seq_only->last_seq, 80);
  EXPECT_TRUE(seq_only->recent.empty());

  auto more_than_stored = LoadTailSync(*store, "general", 500);
  ASSERT_TRUE(more_than_stored.ok());
  EXPECT_EQ(Seqs(more_than_stored->recent), Range(1, 80));
}

TEST_F(SqliteStoreTest, RoomsDoNotSeeEachOthersMessages) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  for (int64_t seq = 1; seq <= 10; ++seq) {
    ASSERT_TRUE(AppendSync(*store, Msg("a", seq)).ok());
    if (seq <= 4) {
      ASSERT_TRUE(AppendSync(*store, Msg("b", seq)).ok());
    }
  }
  auto a = LoadTailSync(*store, "a", 100);
  auto b = LoadTailSync(*store, "b", 100);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->last_seq, 10);
  EXPECT_EQ(b->last_seq, 4);
  for (const auto& m : a->recent) EXPECT_EQ(m.room, "a");
  for (const auto& m : b->recent) EXPECT_EQ(m.room, "b");
  EXPECT_EQ(Seqs(b->recent), Range(1, 4));
}

TEST_F(SqliteStoreTest, MessagesSurviveCloseAndReopen) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    AppendRange(*store, "general", 1, 30);
  }
  auto reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  auto tail = LoadTailSync(*reopened, "general", 50);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->last_seq, 30);
  EXPECT_EQ(Seqs(tail->recent), Range(1, 30));
  EXPECT_EQ(tail->recent.front(), Msg("general", 1));
  // And the reopened store keeps appending where the room left off.
  EXPECT_TRUE(AppendSync(*reopened, Msg("general", 31)).ok());
}

TEST_F(SqliteStoreTest, DestructionFinishesQueuedAppends) {
  constexpr int kCount = 2000;
  auto ok = std::make_shared<std::atomic<int>>(0);
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    for (int64_t seq = 1; seq <= kCount; ++seq) {
      store->Append(Msg("general", seq), [ok](const Status& s) {
        if (s.ok()) ++*ok;
      });
    }
  }  // no Flush: the destructor drains
  EXPECT_EQ(*ok, kCount);
  auto reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  auto tail = LoadTailSync(*reopened, "general", 0);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->last_seq, kCount);
}

TEST_F(SqliteStoreTest, ReadsPostedByAppendCallbacksDuringShutdownStillAnswer) {
  auto last_seq = std::make_shared<std::atomic<int64_t>>(-1);
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    SqliteStore* raw = store.get();
    for (int64_t seq = 1; seq <= 100; ++seq) {
      store->Append(Msg("general", seq), [raw, last_seq, seq](const Status& s) {
        if (seq != 100 || !s.ok()) return;
        raw->LoadTail(TailQuery{.room = "general", .recent = 0}, [last_seq](Result<RoomTail> tail) {
          *last_seq = tail.ok() ? tail->last_seq : -2;
        });
      });
    }
  }  // the destructor runs while appends (and then the read) are still queued
  EXPECT_EQ(*last_seq, 100);
}

TEST_F(SqliteStoreTest, ConcurrentAppendsFromManyThreadsAllLand) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2500;
  StoreOptions o = Options();
  o.max_batch = 512;  // several batches, and batches mixing rooms
  auto store = OpenStore(o);
  ASSERT_NE(store, nullptr);

  auto ok = std::make_shared<std::atomic<int>>(0);
  auto failed = std::make_shared<std::atomic<int>>(0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string room = "room" + std::to_string(t);
      for (int64_t seq = 1; seq <= kPerThread; ++seq) {
        store->Append(Msg(room, seq), [ok, failed](const Status& s) { ++*(s.ok() ? ok : failed); });
      }
    });
  }
  for (auto& t : threads) t.join();
  store->Flush();
  EXPECT_EQ(*ok, kThreads * kPerThread);
  EXPECT_EQ(*failed, 0);

  for (int t = 0; t < kThreads; ++t) {
    const std::string room = "room" + std::to_string(t);
    auto tail = LoadTailSync(*store, room, SqliteStore::kMaxReadRows);
    ASSERT_TRUE(tail.ok());
    EXPECT_EQ(tail->last_seq, kPerThread);
    EXPECT_EQ(Seqs(tail->recent), Range(kPerThread - SqliteStore::kMaxReadRows + 1, kPerThread));
  }
  store.reset();
  auto db = SqliteDb::Open(Options().path, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok());
  auto count = db->QueryText("SELECT count(*) FROM messages");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, std::to_string(kThreads * kPerThread));
}

TEST_F(SqliteStoreTest, DuplicateRoomSeqFailsWithoutHurtingItsBatch) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AppendSync(*store, Msg("general", 1, "original")).ok());

  StoredMessage again = Msg("general", 1, "impostor");
  again.id = "another-id";
  // Queued back to back, so they usually share a batch; the outcome must not depend on it.
  auto dup = std::make_shared<Status>();
  auto next = std::make_shared<Status>(ErrorCode::kInternal, "not run");
  store->Append(again, [dup](const Status& s) { *dup = s; });
  store->Append(Msg("general", 2), [next](const Status& s) { *next = s; });
  store->Flush();

  EXPECT_FALSE(dup->ok());
  EXPECT_EQ(dup->code(), ErrorCode::kConflict);
  EXPECT_THAT(dup->message(), HasSubstr("already stored"));
  EXPECT_TRUE(next->ok()) << next->message();

  auto history = HistorySync(*store, "general", 0, 100);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(Seqs(*history), Range(1, 2));
  EXPECT_EQ(history->front().text, "original");
}

TEST_F(SqliteStoreTest, DuplicateIdFailsWithConflict) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AppendSync(*store, Msg("a", 1)).ok());
  StoredMessage same_id = Msg("b", 1);
  same_id.id = Msg("a", 1).id;
  Status s = AppendSync(*store, same_id);
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_THAT(s.message(), HasSubstr("already stored"));
}

TEST_F(SqliteStoreTest, FailedCommitFailsEveryAppendOfTheBatchAndStoresNothing) {
  StoreOptions o = Options();
  o.fail_commit_after = 1;
  auto store = OpenStore(o);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(AppendSync(*store, Msg("general", 1)).ok());  // commit #1 succeeds

  constexpr int kCount = 50;
  auto statuses = std::make_shared<std::vector<Status>>(kCount);
  for (int i = 0; i < kCount; ++i) {
    store->Append(Msg("general", 2 + i), [statuses, i](const Status& s) { (*statuses)[i] = s; });
  }
  store->Flush();
  for (const Status& s : *statuses) {
    EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
    EXPECT_THAT(s.message(), HasSubstr("injected"));
  }
  auto tail = LoadTailSync(*store, "general", 100);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->last_seq, 1);
  EXPECT_EQ(Seqs(tail->recent), Range(1, 1));
}

TEST_F(SqliteStoreTest, TextIsStoredLiterally) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::vector<std::string> texts = {
      "it's \"quoted\" `twice`",
      "'); DROP TABLE messages; --",
      "1' OR '1'='1",
      "emoji \xF0\x9F\x98\x80 and \xE2\x9C\x93, accents \xC3\xA9",
      "back\\slash\nnew line\ttab %s %d ?1 ?",
  };
  std::vector<StoredMessage> sent;
  for (size_t i = 0; i < texts.size(); ++i) {
    StoredMessage m = Msg("room.with-chars_1", static_cast<int64_t>(i + 1), texts[i]);
    m.username = "o'brien \"\xF0\x9F\x8D\x95\"";
    m.client_id = "'; --";
    sent.push_back(m);
    ASSERT_TRUE(AppendSync(*store, m).ok());
  }
  auto history = HistorySync(*store, "room.with-chars_1", 0, 100);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(*history, sent);
}

TEST_F(SqliteStoreTest, SynchronousNormalStoresAndUsesWal) {
  StoreOptions o = Options();
  o.synchronous = "normal";
  {
    auto store = OpenStore(o);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(AppendSync(*store, Msg("general", 1)).ok());
  }
  auto db = SqliteDb::Open(o.path, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok());
  auto mode = db->QueryText("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, "wal");
}

TEST_F(SqliteStoreTest, OpenUnderARegularFileFailsNamingThePath) {
  const std::string blocker = dir_.File("not-a-dir");
  std::ofstream(blocker) << "x";
  StoreOptions o = Options();
  o.path = blocker + "/parley.db";
  auto store = SqliteStore::Open(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr(o.path));
}

TEST_F(SqliteStoreTest, OpenOnADirectoryFailsWithSqlitesReason) {
  StoreOptions o = Options();
  o.path = dir_.path().string();  // exists, but is a directory
  auto store = SqliteStore::Open(o);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(o.path));
  EXPECT_THAT(store.status().message(), HasSubstr("unable to open database file"));
}

TEST_F(SqliteStoreTest, OpenRejectsBadOptions) {
  StoreOptions sync = Options();
  sync.synchronous = "off";
  auto a = SqliteStore::Open(sync);
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(a.status().message(), HasSubstr("synchronous"));

  StoreOptions readers = Options();
  readers.readers = 0;
  auto b = SqliteStore::Open(readers);
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(), HasSubstr("readers"));

  StoreOptions batch = Options();
  batch.max_batch = 0;
  auto c = SqliteStore::Open(batch);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("max_batch"));
}

TEST(StoreOptionsTest, FromConfigPutsTheFileInTheDataDir) {
  StoreConfig config;
  config.synchronous = "normal";
  config.readers = 3;
  config.max_batch = 64;
  StoreOptions o = StoreOptions::FromConfig(config, "/var/lib/parley");
  EXPECT_EQ(o.path, "/var/lib/parley/parley.db");
  EXPECT_EQ(o.synchronous, "normal");
  EXPECT_EQ(o.readers, 3);
  EXPECT_EQ(o.max_batch, 64);
}

}  // namespace
}  // namespace parley
