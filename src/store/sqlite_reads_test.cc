// The read side of SqliteStore: a room's tail (client ids, read markers), history pages
// after a seq, and full-text search, each on a real database file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace parley {
namespace {

using testing_util::AppendSync;
using testing_util::Change;
using testing_util::HistorySync;
using testing_util::LoadTailSync;
using testing_util::Msg;
using testing_util::MutateSync;
using testing_util::Range;
using testing_util::SearchSync;
using testing_util::Seqs;

class SqliteReadsTest : public testing_util::SqliteStoreFixture {
 protected:
  void AppendTexts(const std::string& room, const std::vector<std::string>& texts) {
    for (size_t i = 0; i < texts.size(); ++i) {
      ASSERT_TRUE(AppendSync(*store_, Msg(room, static_cast<int64_t>(i + 1), texts[i])).ok());
    }
  }
  std::vector<int64_t> Found(const std::string& text, int limit = 20, int64_t before_seq = 0) {
    auto r = SearchSync(
        *store_,
        SearchQuery{.room = "general", .text = text, .limit = limit, .before_seq = before_seq});
    EXPECT_TRUE(r.ok()) << "search for '" << text << "': " << r.status().message();
    return r.ok() ? Seqs(*r) : std::vector<int64_t>{-1};
  }
};

TEST_F(SqliteReadsTest, TailCarriesTheNewestClientIdsSinceATimeOldestFirst) {
  ASSERT_TRUE(Open());
  for (int64_t seq = 1; seq <= 40; ++seq) {
    ASSERT_TRUE(AppendSync(*store_, Msg("general", seq)).ok());  // even seqs have a client id
  }
  const int64_t since = Msg("general", 21).timestamp_ms;  // seq 21..40 are in the window
  auto tail = LoadTailSync(
      *store_,
      TailQuery{.room = "general", .recent = 5, .client_ids_since_ms = since, .max_client_ids = 6});
  ASSERT_TRUE(tail.ok()) << tail.status().message();
  EXPECT_EQ(tail->last_seq, 40);
  EXPECT_EQ(Seqs(tail->recent), Range(36, 40));
  std::vector<int64_t> seqs;
  for (const ClientIdEntry& e : tail->client_ids) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<int64_t>{30, 32, 34, 36, 38, 40}));
  const StoredMessage m = Msg("general", 40);
  EXPECT_EQ(tail->client_ids.back(),
            (ClientIdEntry{m.username, m.client_id, m.id, m.seq, m.timestamp_ms}));

  auto window = LoadTailSync(
      *store_,
      TailQuery{
          .room = "general", .recent = 0, .client_ids_since_ms = since, .max_client_ids = 1000});
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->client_ids.size(), 10u);  // 22, 24, ... 40
  EXPECT_EQ(window->client_ids.front().seq, 22);
  EXPECT_TRUE(window->recent.empty());
}

TEST_F(SqliteReadsTest, TailKeepsTheHighestReadMarkers) {
  ASSERT_TRUE(Open());
  for (int64_t seq = 1; seq <= 9; ++seq) ASSERT_TRUE(AppendSync(*store_, Msg("general", seq)).ok());
  for (int i = 1; i <= 9; ++i) {
    ASSERT_TRUE(
        MutateSync(*store_, testing_util::MarkRead("general", "u" + std::to_string(i), i)).ok());
  }
  auto tail = LoadTailSync(*store_, TailQuery{.room = "general", .max_read_markers = 3});
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->read_markers, (std::vector<ReadMarker>{{"u9", 9}, {"u8", 8}, {"u7", 7}}));
  auto none = LoadTailSync(*store_, TailQuery{.room = "general", .max_read_markers = 0});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->read_markers.empty());
}

TEST_F(SqliteReadsTest, AfterSeqPagesForwardOldestFirst) {
  ASSERT_TRUE(Open());
  for (int64_t seq = 1; seq <= 250; ++seq) {
    ASSERT_TRUE(AppendSync(*store_, Msg("general", seq)).ok());
  }
  auto page = [&](int64_t after, int64_t before, int limit) {
    auto r = HistorySync(
        *store_,
        HistoryQuery{.room = "general", .before_seq = before, .after_seq = after, .limit = limit});
    EXPECT_TRUE(r.ok());
    return r.ok() ? Seqs(*r) : std::vector<int64_t>{-1};
  };
  EXPECT_EQ(page(10, 0, 100), Range(11, 110));
  EXPECT_EQ(page(110, 0, 100), Range(111, 210));
  EXPECT_EQ(page(210, 0, 100), Range(211, 250));
  EXPECT_TRUE(page(250, 0, 100).empty());
  EXPECT_EQ(page(10, 20, 100), Range(11, 19));
  EXPECT_EQ(page(0, 0, 3), Range(248, 250));  // no after_seq: the newest page
  auto full = HistorySync(*store_, HistoryQuery{.room = "general", .after_seq = 1, .limit = 1});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(*full, (std::vector<StoredMessage>{Msg("general", 2)}));
}

TEST_F(SqliteReadsTest, SearchMatchesEveryWordWithThePrefixOfTheLast) {
  ASSERT_TRUE(Open());
  AppendTexts("general", {"hello world", "Hello there, wonderful world", "goodbye world", "hello",
                          "Café au lait", "helicopter"});
  AppendTexts("elsewhere", {"hello world"});
  EXPECT_EQ(Found("world"), (std::vector<int64_t>{3, 2, 1}));  // newest first
  EXPECT_EQ(Found("hello world"), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(Found("  world\tHELLO  "), (std::vector<int64_t>{2, 1}));  // any order, any case
  EXPECT_EQ(Found("hel"), (std::vector<int64_t>{6, 4, 2, 1}));         // the last word is a prefix
  EXPECT_EQ(Found("wor hello"), (std::vector<int64_t>{}));             // the others are whole words
  EXPECT_EQ(Found("hello wo"), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(Found("cafe"), (std::vector<int64_t>{5}));  // accents do not matter
  EXPECT_EQ(Found("nothing"), (std::vector<int64_t>{}));
}

TEST_F(SqliteReadsTest, SearchPagesWithBeforeSeq) {
  ASSERT_TRUE(Open());
  for (int64_t seq = 1; seq <= 130; ++seq) {
    ASSERT_TRUE(AppendSync(*store_, Msg("general", seq, "needle " + std::to_string(seq))).ok());
  }
  EXPECT_EQ(Found("needle", 3), (std::vector<int64_t>{130, 129, 128}));
  EXPECT_EQ(Found("needle", 3, 128), (std::vector<int64_t>{127, 126, 125}));
  EXPECT_EQ(Found("needle", 0), (std::vector<int64_t>{130}));
  // The API caps a page at limits.max_history_page; the store returns whatever it is asked
  // for up to kMaxReadRows, so the API can ask one more to learn whether there is more.
  EXPECT_EQ(Found("needle", 1000).size(), 130u);
  std::vector<int64_t> below_50 = Range(1, 49);
  std::reverse(below_50.begin(), below_50.end());
  EXPECT_EQ(Found("needle", 1000, 50), below_50);
}

TEST_F(SqliteReadsTest, SearchSeesEditsAndSkipsDeletedMessages) {
  ASSERT_TRUE(Open());
  AppendTexts("general", {"the old plan", "another plan", "a third plan"});
  const StoredMessage first = Msg("general", 1, "the old plan");
  const StoredMessage second = Msg("general", 2, "another plan");
  using Kind = Mutation::Kind;
  ASSERT_TRUE(MutateSync(*store_, Change(Kind::kEdit, first, first.username, "the new idea")).ok());
  ASSERT_TRUE(
      MutateSync(*store_, Change(Kind::kToggleReaction, Msg("general", 3), "bob", "+1")).ok());
  ASSERT_TRUE(MutateSync(*store_, Change(Kind::kDelete, second, second.username)).ok());
  EXPECT_EQ(Found("old"), (std::vector<int64_t>{}));
  EXPECT_EQ(Found("idea"), (std::vector<int64_t>{1}));
  EXPECT_EQ(Found("plan"), (std::vector<int64_t>{3}));
  auto with_reactions = SearchSync(*store_, SearchQuery{.room = "general", .text = "third"});
  ASSERT_TRUE(with_reactions.ok());
  ASSERT_EQ(with_reactions->size(), 1u);
  EXPECT_EQ(with_reactions->front().reactions, (std::vector<Reaction>{{"+1", {"bob"}}}));
}

TEST_F(SqliteReadsTest, HostileSearchTextIsPlainWords) {
  ASSERT_TRUE(Open());
  AppendTexts("general", {"say \"hi\" OR NEAR(x) * - ^ col:umn", "plain"});
  for (const std::string& text : std::vector<std::string>{
           "\"", "*", "OR", "NEAR(", "NEAR(x", "\"hi", "a OR", "AND NOT", "col:umn", "-", "^plain",
           "(", ")", "\"\"\"", "x\"*", "{col}", "plain'", std::string("nul\0byte", 8)}) {
    auto r = SearchSync(*store_, SearchQuery{.room = "general", .text = text});
    EXPECT_TRUE(r.ok()) << "search for '" << text << "': " << r.status().message();
  }
  EXPECT_EQ(Found("OR"), (std::vector<int64_t>{1}));
  EXPECT_EQ(Found("NEAR(x"), (std::vector<int64_t>{1}));
  EXPECT_EQ(Found("\"hi\""), (std::vector<int64_t>{1}));
}

TEST_F(SqliteReadsTest, SearchWithoutAWordIsInvalidAndAnUnknownRoomFindsNothing) {
  ASSERT_TRUE(Open());
  AppendTexts("general", {"hello"});
  for (const char* text : {"", "   ", "\t\n"}) {
    auto r = SearchSync(*store_, SearchQuery{.room = "general", .text = text});
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidField);
  }
  auto unknown = SearchSync(*store_, SearchQuery{.room = "nowhere", .text = "hello"});
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
}

}  // namespace
}  // namespace parley
