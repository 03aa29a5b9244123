#include "frame_walk.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::bench {
namespace {

std::string ServerFrame(uint8_t opcode, const std::string& payload) {
  std::string f;
  f.push_back(static_cast<char>(0x80 | opcode));
  if (payload.size() < 126) {
    f.push_back(static_cast<char>(payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    f.push_back(126);
    f.push_back(static_cast<char>(payload.size() >> 8));
    f.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    f.push_back(127);
    for (int i = 7; i >= 0; --i)
      f.push_back(static_cast<char>(uint64_t{payload.size()} >> (8 * i)));
  }
  return f + payload;
}

TEST(FrameWalkTest, HeaderLengths) {
  for (size_t n : {0u, 5u, 125u, 126u, 300u, 65535u, 70000u}) {
    const std::string f = ServerFrame(0x1, std::string(n, 'x'));
    FrameHead head;
    ASSERT_TRUE(ParseFrameHead(f, &head)) << n;
    EXPECT_EQ(head.opcode, 0x1);
    EXPECT_TRUE(head.fin);
    EXPECT_EQ(head.payload_bytes, n);
    EXPECT_EQ(head.header_bytes + n, f.size());
  }
}

TEST(FrameWalkTest, IncompleteHeader) {
  const std::string f = ServerFrame(0x1, std::string(300, 'x'));
  FrameHead head;
  EXPECT_FALSE(ParseFrameHead(f.substr(0, 1), &head));
  EXPECT_FALSE(ParseFrameHead(f.substr(0, 3), &head));
  EXPECT_TRUE(ParseFrameHead(f.substr(0, 4), &head));
}

TEST(FrameWalkTest, ClassifiesSeed004Frames) {
  EXPECT_EQ(ClassifySeed004(R"({"type":"chat","room":"r","message":"hi"})"), FrameKind::kChat);
  EXPECT_EQ(ClassifySeed004(R"({"type":"presence","event":"user_joined"})"), FrameKind::kOther);
  EXPECT_EQ(ClassifySeed004(R"({"type":"history","messages":[{"message":"chat"}]})"),
            FrameKind::kOther);
  EXPECT_EQ(ClassifySeed004(R"({"room":"r","type":"chat","message":"hi"})"), FrameKind::kChat);
  EXPECT_EQ(ClassifySeed004(R"({"room":"r","type":"presence"})"), FrameKind::kOther);
}

TEST(FrameWalkTest, ClassifiesSocketIoFrames) {
  EXPECT_EQ(ClassifySocketIo(R"(42["chat",{"message":"hi"}])"), FrameKind::kChat);
  EXPECT_EQ(ClassifySocketIo(R"(42["presence",{}])"), FrameKind::kOther);
  EXPECT_EQ(ClassifySocketIo("2"), FrameKind::kPing);
  EXPECT_EQ(ClassifySocketIo("40"), FrameKind::kOther);
}

}  // namespace
}  // namespace parley::bench
