#include "store/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace parley {
namespace {

using ::testing::HasSubstr;
using testing_util::ScopedTempDir;

constexpr int64_t kNow = 1'700'000'000'000;

class MigrationsTest : public ::testing::Test {
 protected:
  SqliteDb OpenDb() {
    auto db = SqliteDb::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return std::move(db).value();
  }
  bool TableExists(SqliteDb& db, const std::string& name) {
    auto n = db.QueryText("SELECT count(*) FROM sqlite_master WHERE name = '" + name + "'");
    return n.ok() && *n == "1";
  }

  ScopedTempDir dir_;
  std::string path_ = dir_.File("parley.db");
};

TEST_F(MigrationsTest, OpeningTheStoreRecordsTheLatestVersion) {
  StoreOptions o;
  o.path = path_;
  {
    auto store = SqliteStore::Open(o);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }
  SqliteDb db = OpenDb();
  auto version = SchemaVersion(db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, static_cast<int64_t>(StoreMigrations().size()));
  EXPECT_TRUE(TableExists(db, "messages"));
  auto applied_at = db.QueryText("SELECT applied_at FROM schema_migrations WHERE version = 1");
  ASSERT_TRUE(applied_at.ok());
  EXPECT_GT(std::stoll(*applied_at), kNow);  // a real clock reading, after Nov 2023

  // Reopening applies nothing twice (a second CREATE TABLE would fail).
  auto again = SqliteStore::Open(o);
  EXPECT_TRUE(again.ok()) << again.status().message();
}

TEST_F(MigrationsTest, AppliesMissingMigrationsInOrderOnce) {
  SqliteDb db = OpenDb();
  constexpr std::array<std::string_view, 3> kAll = {
      "CREATE TABLE one (x INTEGER)",
      "CREATE TABLE two (y INTEGER REFERENCES one(x))",
      "ALTER TABLE one ADD COLUMN z TEXT",
  };
  ASSERT_TRUE(Migrate(db, std::span(kAll).first(2), kNow).ok());
  EXPECT_EQ(*SchemaVersion(db), 2);
  EXPECT_TRUE(TableExists(db, "two"));

  Status s = Migrate(db, kAll, kNow);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(*SchemaVersion(db), 3);
  EXPECT_TRUE(db.Exec("INSERT INTO one (x, z) VALUES (1, 'ok')").ok());
  auto rows = db.QueryText("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "3");
}

TEST_F(MigrationsTest, AFailingMigrationLeavesThePreviousVersionIntact) {
  SqliteDb db = OpenDb();
  constexpr std::array<std::string_view, 2> kList = {
      "CREATE TABLE one (x INTEGER)",
      "CREATE TABLE two (y INTEGER); INSERT INTO no_such_table VALUES (1)",
  };
  Status s = Migrate(db, kList, kNow);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("schema migration 2"));
  EXPECT_THAT(s.message(), HasSubstr("no_such_table"));
  EXPECT_EQ(*SchemaVersion(db), 1);
  EXPECT_TRUE(TableExists(db, "one"));
  EXPECT_FALSE(TableExists(db, "two"));  // rolled back with the rest of migration 2
  EXPECT_FALSE(db.in_transaction());
}

TEST_F(MigrationsTest, ADatabaseFromANewerParleyIsRefused) {
  {
    SqliteDb db = OpenDb();
    ASSERT_TRUE(Migrate(db, StoreMigrations(), kNow).ok());
    ASSERT_TRUE(db.Exec("INSERT INTO schema_migrations VALUES (99, 0)").ok());
  }
  StoreOptions o;
  o.path = path_;
  auto store = SqliteStore::Open(o);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("schema version 99"));
  EXPECT_THAT(store.status().message(), HasSubstr(path_));
}

TEST_F(MigrationsTest, AVersionOneDatabaseUpgradesAndKeepsItsMessages) {
  {
    SqliteDb db = OpenDb();
    ASSERT_TRUE(Migrate(db, StoreMigrations().first(1), kNow).ok());
    ASSERT_TRUE(db.Exec("INSERT INTO messages VALUES "
                        "('general', 1, 'g1', 'alice', 'hello old world', 1000, 'c1'), "
                        "('general', 2, 'g2', 'bob', 'second', 2000, NULL), "
                        "('side', 1, 's1', 'carol', 'old world too', 3000, NULL)")
                    .ok());
  }
  StoreOptions o;
  o.path = path_;
  auto store = SqliteStore::Open(o);
  ASSERT_TRUE(store.ok()) << store.status().message();

  auto history = testing_util::HistorySync(**store, "general", 0, 10);
  ASSERT_TRUE(history.ok()) << history.status().message();
  StoredMessage first;
  first.room = "general";
  first.seq = 1;
  first.id = "g1";
  first.username = "alice";
  first.text = "hello old world";
  first.timestamp_ms = 1000;
  first.client_id = "c1";
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->front(), first);  // new fields at their defaults
  EXPECT_EQ(history->back().text, "second");

  // The old messages are searchable, per room, and the rooms go on from their last seq.
  auto found = testing_util::SearchSync(**store, SearchQuery{.room = "general", .text = "world"});
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(testing_util::Seqs(*found), (std::vector<int64_t>{1}));
  EXPECT_EQ(testing_util::AppendSync(**store, testing_util::Msg("general", 2)).code(),
            ErrorCode::kConflict);
  EXPECT_TRUE(testing_util::AppendSync(**store, testing_util::Msg("general", 3)).ok());
  EXPECT_TRUE(testing_util::AppendSync(**store, testing_util::Msg("side", 2)).ok());
  StoredMessage side = first;
  side.room = "side";
  side.id = "s1";
  auto edited = testing_util::MutateSync(
      **store, testing_util::Change(Mutation::Kind::kEdit, side, "carol", "new text"));
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  auto old_words = testing_util::SearchSync(**store, SearchQuery{.room = "side", .text = "old"});
  ASSERT_TRUE(old_words.ok());
  EXPECT_TRUE(old_words->empty());
  store->reset();

  SqliteDb db = OpenDb();
  EXPECT_EQ(*SchemaVersion(db), static_cast<int64_t>(StoreMigrations().size()));  // the newest
  EXPECT_EQ(*SchemaVersion(db), static_cast<int64_t>(StoreMigrations().size()));
  auto check = db.QueryText("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, "ok");
  EXPECT_TRUE(db.Exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").ok());
}

}  // namespace
}  // namespace parley
