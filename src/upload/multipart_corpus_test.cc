// Replays the multipart fuzzer's corpus (tests/fuzz/corpus/multipart) through the fuzzer's own
// body, so seeds and old crashers run in every build.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "upload/multipart_fuzz_driver.h"

namespace parley::upload {
namespace {

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(PARLEY_MULTIPART_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(MultipartCorpusTest, CorpusIsPresent) {
  EXPECT_GE(CorpusFiles().size(), 10u) << PARLEY_MULTIPART_CORPUS_DIR;
}

TEST(MultipartCorpusTest, EveryCorpusFileReplaysCleanly) {
  for (const auto& path : CorpusFiles()) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    FuzzMultipartOnce(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

}  // namespace
}  // namespace parley::upload
