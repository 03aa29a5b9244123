// Replays the cookie fuzzer's corpus (tests/fuzz/corpus/cookie) through the fuzzer's own
// body, so seeds and old crashers run in every build.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "auth/cookie_fuzz_driver.h"

namespace parley::auth {
namespace {

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(PARLEY_COOKIE_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CookieCorpusTest, CorpusIsPresent) {
  EXPECT_GE(CorpusFiles().size(), 8u) << PARLEY_COOKIE_CORPUS_DIR;
}

TEST(CookieCorpusTest, EveryCorpusFileReplaysCleanly) {
  for (const auto& path : CorpusFiles()) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    FuzzCookieOnce(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

}  // namespace
}  // namespace parley::auth
