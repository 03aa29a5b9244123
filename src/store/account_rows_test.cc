#include "store/account_rows.h"

#include <gtest/gtest.h>

#include "store/api_key_rows.h"
#include "store/store_test_util.h"

namespace parley {
namespace {

UserRow Ann() {
  return UserRow{.id = std::string(32, 'a'),
                 .username = "Ann",
                 .password_hash = "$argon2id$stand-in",
                 .display_name = "Ann A.",
                 .created_at_ms = 10};
}

TEST(AccountRowsTest, UsersAreFoundByNameInAnyCaseAndById) {
  testing_util::ScopedTempDir dir;
  auto db = OpenMigratedDb(dir.File("parley.db"), 1);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE(InsertUser(*db, Ann()).ok());
  auto by_name = FindUserByName(*db, "ann");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  EXPECT_EQ((*by_name)->username, "Ann");
  EXPECT_EQ((*by_name)->password_hash, "$argon2id$stand-in");
  auto by_id = FindUserById(*db, std::string(32, 'a'));
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->display_name, "Ann A.");
  auto none = FindUserByName(*db, "bob");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(AccountRowsTest, AUsernameIsTakenInAnyLetterCase) {
  testing_util::ScopedTempDir dir;
  auto db = OpenMigratedDb(dir.File("parley.db"), 1);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(InsertUser(*db, Ann()).ok());
  UserRow again = Ann();
  again.id = std::string(32, 'b');
  again.username = "ANN";
  EXPECT_EQ(InsertUser(*db, again).code(), ErrorCode::kUsernameTaken);
}

TEST(AccountRowsTest, ProfilesUpdate) {
  testing_util::ScopedTempDir dir;
  auto db = OpenMigratedDb(dir.File("parley.db"), 1);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(InsertUser(*db, Ann()).ok());
  ASSERT_TRUE(UpdateUserProfile(*db, std::string(32, 'a'), "Annie", "/files/x").ok());
  auto row = FindUserByName(*db, "Ann");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->display_name, "Annie");
  EXPECT_EQ((*row)->avatar_url, "/files/x");
  EXPECT_EQ(UpdateUserProfile(*db, "nobody", "x", "").code(), ErrorCode::kNotFound);
}

TEST(AccountRowsTest, OnlyLiveSessionsLoadAndDeletedOnesAreGone) {
  testing_util::ScopedTempDir dir;
  const std::string path = dir.File("parley.db");
  {
    auto db = OpenMigratedDb(path, 1);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(InsertUser(*db, Ann()).ok());
    const std::string id(32, 'a');
    ASSERT_TRUE(InsertSession(*db, {std::string(64, '1'), id, 100, 1000}).ok());
    ASSERT_TRUE(InsertSession(*db, {std::string(64, '2'), id, 200, 5000}).ok());
    ASSERT_TRUE(InsertSession(*db, {std::string(64, '3'), id, 300, 5000}).ok());
    ASSERT_TRUE(DeleteSession(*db, std::string(64, '3')).ok());
  }
  auto db = OpenMigratedDb(path, 2);
  ASSERT_TRUE(db.ok());
  auto live = LoadLiveSessions(*db, 1000);  // the first expires at 1000: not live
  ASSERT_TRUE(live.ok()) << live.status().message();
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].session.token_sha256, std::string(64, '2'));
  EXPECT_EQ((*live)[0].user.username, "Ann");
  EXPECT_EQ((*live)[0].user.password_hash, "");  // never loaded with sessions
  ASSERT_TRUE(DeleteExpiredSessions(*db, 1000).ok());
  auto count = db->QueryText("SELECT count(*) FROM sessions");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, "1");
}

}  // namespace
}  // namespace parley
