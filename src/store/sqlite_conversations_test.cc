// AI conversations in SqliteStore: appended in order, read back oldest first, trimmed to
// the newest `keep`, kept across a reopen.
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace parley {
namespace {

using testing_util::Await;

class SqliteConversationsTest : public testing_util::SqliteStoreFixture {
 protected:
  void SetUp() override { ASSERT_TRUE(Open()); }
  Status Add(const std::string& conv, std::vector<ConversationTurn> turns, int keep) {
    return Await<Status>(
        [&](auto done) {
          store_->AppendConversation(
              ConversationAppend{.conversation = conv, .turns = std::move(turns), .keep = keep},
              [done](const Status& s) { done(s); });
        },
        testing_util::Timeout());
  }
  std::vector<ConversationTurn> Load(const std::string& conv, int max) {
    auto r = Await<Result<std::vector<ConversationTurn>>>(
        [&](auto done) { store_->LoadConversation(conv, max, done); }, testing_util::Timeout());
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : std::vector<ConversationTurn>{};
  }
  static std::vector<std::string> Texts(const std::vector<ConversationTurn>& turns) {
    std::vector<std::string> out;
    for (const auto& t : turns) out.push_back(t.role + ":" + t.content);
    return out;
  }
};

TEST_F(SqliteConversationsTest, AppendsAndReadsBackOldestFirst) {
  EXPECT_TRUE(Load("c1", 10).empty());
  ASSERT_TRUE(Add("c1", {{"user", "hi", 1}, {"assistant", "hello", 2}}, 10).ok());
  ASSERT_TRUE(Add("c2", {{"user", "other", 3}}, 10).ok());
  ASSERT_TRUE(Add("c1", {{"user", "how are you", 4}, {"assistant", "fine", 5}}, 10).ok());
  EXPECT_EQ(Texts(Load("c1", 10)),
            (std::vector<std::string>{"user:hi", "assistant:hello", "user:how are you",
                                      "assistant:fine"}));
  EXPECT_EQ(Texts(Load("c1", 2)), (std::vector<std::string>{"user:how are you", "assistant:fine"}));
  EXPECT_EQ(Load("c1", 10).front().at_ms, 1);
  EXPECT_EQ(Texts(Load("c2", 10)), (std::vector<std::string>{"user:other"}));
}

TEST_F(SqliteConversationsTest, KeepsOnlyTheNewestTurns) {
  for (int i = 1; i <= 6; ++i) {
    ASSERT_TRUE(Add("c", {{"user", "q" + std::to_string(i), i}, {"assistant", "a", i}}, 4).ok());
  }
  EXPECT_EQ(Texts(Load("c", 100)),
            (std::vector<std::string>{"user:q5", "assistant:a", "user:q6", "assistant:a"}));
  ASSERT_TRUE(Add("c", {{"user", "last", 9}}, 0).ok());
  EXPECT_TRUE(Load("c", 100).empty()) << "keep 0 stores nothing";
}

TEST_F(SqliteConversationsTest, SurvivesAReopen) {
  ASSERT_TRUE(Add("c", {{"user", "remember me", 1}}, 10).ok());
  ASSERT_TRUE(Open());
  EXPECT_EQ(Texts(Load("c", 10)), (std::vector<std::string>{"user:remember me"}));
}

}  // namespace
}  // namespace parley
