// Replays every file of the AI stream fuzzer's corpus (tests/fuzz/corpus/ai_sse) through the
// fuzzer's own body, so old crashers and seeds run in every build.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ai/sse_fuzz_driver.h"

namespace parley::ai {
namespace {

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(PARLEY_SSE_CORPUS_DIR)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SseCorpusTest, CorpusIsPresent) {
  // A missing or emptied corpus would make the replay below pass vacuously.
  EXPECT_GE(CorpusFiles().size(), 10u) << PARLEY_SSE_CORPUS_DIR;
}

TEST(SseCorpusTest, EveryCorpusFileReplaysCleanly) {
  for (const auto& path : CorpusFiles()) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << path;
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    // Aborts with a message naming the broken invariant if a parser misbehaves.
    FuzzSseOnce(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

}  // namespace
}  // namespace parley::ai
