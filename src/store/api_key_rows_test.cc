#include "store/api_key_rows.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace parley {
namespace {

TEST(ApiKeyRowsTest, StoresAndLoadsDigests) {
  testing_util::ScopedTempDir dir;
  const std::string path = dir.File("parley.db");
  {
    auto db = OpenMigratedDb(path, 1000);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(
        InsertApiKey(*db, {.app = "web", .key_sha256 = std::string(64, 'a'), .created_at_ms = 1})
            .ok());
    ASSERT_TRUE(
        InsertApiKey(*db, {.app = "tv", .key_sha256 = std::string(64, 'b'), .created_at_ms = 2})
            .ok());
    Status dup = InsertApiKey(*db, {.app = "x", .key_sha256 = std::string(64, 'a')});
    EXPECT_EQ(dup.code(), ErrorCode::kConflict);
  }
  auto db = OpenMigratedDb(path, 2000);  // reopening migrates nothing twice
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto rows = LoadApiKeys(*db);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].app, "web");
  EXPECT_EQ((*rows)[1].key_sha256, std::string(64, 'b'));
}

}  // namespace
}  // namespace parley
