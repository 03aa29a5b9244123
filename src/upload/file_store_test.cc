#include "upload/file_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace parley::upload {
namespace {
namespace fs = std::filesystem;

class FileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/parley-files-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Regular files under the store, temporary ones included.
  size_t FileCount() const {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) n += e.is_regular_file();
    return n;
  }

  std::string dir_;
};

TEST(FileIdTest, Sha256AndIdValidation) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsValidId(Sha256Hex("")));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId(std::string(63, 'a')));
  EXPECT_FALSE(IsValidId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidId(std::string(64, 'A')));
  EXPECT_FALSE(IsValidId("../" + std::string(61, 'a')));
  EXPECT_FALSE(IsValidId(std::string(62, 'a') + "/."));
}

TEST_F(FileStoreTest, StoresOnceUnderTheHashAndReadsBack) {
  auto store = FileStore::Open(dir_ + "/files");
  ASSERT_TRUE(store.ok());
  auto first = store->Put("hello image");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->id, Sha256Hex("hello image"));
  EXPECT_TRUE(
      fs::is_regular_file(dir_ + "/files/" + first->id.substr(0, 2) + "/" + first->id.substr(2)));
  auto again = store->Put("hello image");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(FileCount(), 1u) << "same bytes, one file, no temporary left";
  EXPECT_EQ(*store->Read(first->id), "hello image");
  EXPECT_EQ(store->Read(Sha256Hex("other")).status().code(), ErrorCode::kNotFound);
}

TEST_F(FileStoreTest, OpenRemovesInterruptedWrites) {
  fs::create_directories(dir_ + "/files/tmp");
  std::ofstream(dir_ + "/files/tmp/123-0.part") << "half";
  ASSERT_TRUE(FileStore::Open(dir_ + "/files").ok());
  EXPECT_EQ(FileCount(), 0u);
}

TEST_F(FileStoreTest, AFailedWriteIsUnavailableAndStoresNothing) {
  auto store = FileStore::Open(dir_ + "/files");
  ASSERT_TRUE(store.ok());
  // tmp/ replaced by a plain file: the temporary file cannot be created (even as root).
  fs::remove(dir_ + "/files/tmp");
  std::ofstream(dir_ + "/files/tmp") << "in the way";
  auto r = store->Put("x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store->Read(Sha256Hex("x")).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace parley::upload
