#include "net/frame_queue.h"

#include <gtest/gtest.h>

namespace parley::net {
namespace {

SharedFrame F(const char* s) { return std::make_shared<const std::string>(s); }

TEST(FrameQueueTest, KeepsOrderAcrossPopsAndPushes) {
  FrameQueue q;
  EXPECT_TRUE(q.empty());
  q.push_back(F("a"));
  q.push_back(F("b"));
  q.push_back(F("c"));
  EXPECT_EQ(*q.front(), "a");
  q.pop_front();
  q.push_back(F("d"));
  std::string seen;
  for (const auto& f : q) seen += *f;
  EXPECT_EQ(seen, "bcd");
  EXPECT_EQ(q.size(), 3u);
  q.pop_back();
  EXPECT_EQ(*q.back(), "c");
  q.pop_front();
  q.pop_front();
  EXPECT_TRUE(q.empty());
}

TEST(FrameQueueTest, ReleasesFramesAsTheyLeave) {
  FrameQueue q;
  auto f = F("shared");
  q.push_back(f);
  q.push_back(F("x"));
  EXPECT_EQ(f.use_count(), 2);
  q.pop_front();
  EXPECT_EQ(f.use_count(), 1) << "a written frame is not kept alive by the queue";
}

}  // namespace
}  // namespace parley::net
