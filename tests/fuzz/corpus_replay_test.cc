// Replays every file of one fuzzer's corpus (PARLEY_CORPUS_DIR, set by parley_fuzzer() in
// CMakeLists.txt) through the fuzzer's own body, so seeds and old crashers run in every
// build, sanitizers included.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz_once.h"

namespace parley::fuzz {
namespace {

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(PARLEY_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CorpusReplayTest, CorpusIsPresent) {
  // A missing or emptied corpus would make the replay below pass vacuously.
  EXPECT_GE(CorpusFiles().size(), 10u) << PARLEY_CORPUS_DIR;
}

TEST(CorpusReplayTest, EveryCorpusFileReplaysCleanly) {
  for (const auto& path : CorpusFiles()) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << path;
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    RunOnce(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

}  // namespace
}  // namespace parley::fuzz
