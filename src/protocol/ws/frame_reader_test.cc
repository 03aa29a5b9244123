// FrameReader: every RFC 6455 rule a server enforces, each checked when the stream arrives
// whole, byte by byte and in 3-byte pieces (the events must not depend on the split).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/ws/frame.h"
#include "protocol/ws/frame_test_util.h"

namespace parley::ws {
namespace {

using ::parley::ws::testing::Bytes;
using ::parley::ws::testing::FeedInSteps;
using ::parley::ws::testing::RecordingSink;
using Events = std::vector<std::string>;

constexpr uint32_t kMask = 0xA1B2C3D4;

std::string Frame(Opcode op, std::string_view payload, bool fin = true) {
  return EncodeClientFrame(op, payload, kMask, fin);
}
// A masked frame with a hand-made first byte (FIN, RSV bits, opcode).
std::string RawFrame(uint8_t first_byte, std::string_view payload) {
  std::string f = EncodeClientFrame(Opcode::kBinary, payload, kMask);
  f[0] = static_cast<char>(first_byte);
  return f;
}
std::string CloseBody(uint16_t code, std::string_view reason) {
  std::string body{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  return body.append(reason);
}

Events Feed(const std::string& wire, ReaderLimits limits = {}) {
  const Events whole = FeedInSteps(wire, 0, limits);
  EXPECT_EQ(FeedInSteps(wire, 1, limits), whole) << "byte by byte";
  EXPECT_EQ(FeedInSteps(wire, 3, limits), whole) << "3 bytes at a time";
  return whole;
}

TEST(FrameReaderTest, SeveralFramesInOneBuffer) {
  const std::string wire = Frame(Opcode::kText, "one") + Frame(Opcode::kPing, "p") +
                           Frame(Opcode::kBinary, std::string(300, 'b')) +
                           Frame(Opcode::kPong, "") + Frame(Opcode::kText, "");
  EXPECT_EQ(Feed(wire),
            (Events{"text:one", "ping:p", "binary:" + std::string(300, 'b'), "pong:", "text:"}));
}

TEST(FrameReaderTest, IncompleteFrameIsLeftUntouchedUntilComplete) {
  const std::string frame = Frame(Opcode::kText, "hello there");
  std::vector<uint8_t> buf = Bytes(frame.substr(0, frame.size() - 1));
  const std::vector<uint8_t> before = buf;
  FrameReader reader({});
  RecordingSink sink;
  EXPECT_EQ(reader.Consume(buf, sink), 0u);
  EXPECT_EQ(buf, before);  // still masked: the caller feeds these bytes again
  EXPECT_TRUE(sink.events.empty());
  buf.push_back(static_cast<uint8_t>(frame.back()));
  EXPECT_EQ(reader.Consume(buf, sink), frame.size());
  EXPECT_EQ(sink.events, Events{"text:hello there"});
}

TEST(FrameReaderTest, UnmaskedClientFrameIsProtocolError) {
  EXPECT_EQ(Feed(EncodeFrame(Opcode::kText, "hi")), Events{"error:1002"});
}

TEST(FrameReaderTest, ReservedBitsAreProtocolErrors) {
  for (uint8_t rsv : {0x40, 0x20, 0x10, 0x70}) {
    EXPECT_EQ(Feed(RawFrame(0x80 | rsv | 0x1, "hi")), Events{"error:1002"}) << int{rsv};
  }
}

TEST(FrameReaderTest, ReservedOpcodesAreProtocolErrors) {
  for (uint8_t op : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
    EXPECT_EQ(Feed(RawFrame(0x80 | op, "")), Events{"error:1002"}) << int{op};
  }
}

TEST(FrameReaderTest, ControlFrameRules) {
  EXPECT_EQ(Feed(Frame(Opcode::kPing, std::string(125, 'p'))),
            Events{"ping:" + std::string(125, 'p')});
  EXPECT_EQ(Feed(Frame(Opcode::kPing, std::string(126, 'p'))), Events{"error:1002"});
  EXPECT_EQ(Feed(Frame(Opcode::kPong, std::string(200, 'p'))), Events{"error:1002"});
  EXPECT_EQ(Feed(Frame(Opcode::kPing, "p", false)), Events{"error:1002"});
  EXPECT_EQ(Feed(Frame(Opcode::kClose, "", false)), Events{"error:1002"});
}

TEST(FrameReaderTest, ControlFramesBetweenFragments) {
  const std::string wire = Frame(Opcode::kText, "Hel", false) + Frame(Opcode::kPing, "p1") +
                           Frame(Opcode::kContinuation, "l", false) + Frame(Opcode::kPong, "") +
                           Frame(Opcode::kContinuation, "o", true);
  EXPECT_EQ(Feed(wire), (Events{"ping:p1", "pong:", "text:Hello"}));
}

TEST(FrameReaderTest, FragmentedBinaryAndEmptyFragments) {
  const std::string wire = Frame(Opcode::kBinary, "", false) +
                           Frame(Opcode::kContinuation, "ab", false) +
                           Frame(Opcode::kContinuation, "", true) + Frame(Opcode::kText, "next");
  EXPECT_EQ(Feed(wire), (Events{"binary:ab", "text:next"}));
}

TEST(FrameReaderTest, FragmentBufferIsHeldOnlyWhileAMessageIsOpen) {
  FrameReader reader({});
  RecordingSink sink;
  std::vector<uint8_t> first = Bytes(Frame(Opcode::kText, "12345", false));
  reader.Consume(first, sink);
  EXPECT_EQ(reader.buffered_bytes(), 5u);
  std::vector<uint8_t> last = Bytes(Frame(Opcode::kContinuation, "678", true));
  reader.Consume(last, sink);
  EXPECT_EQ(sink.events, Events{"text:12345678"});
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

TEST(FrameReaderTest, ContinuationWithoutStartIsProtocolError) {
  EXPECT_EQ(Feed(Frame(Opcode::kContinuation, "x", true)), Events{"error:1002"});
  EXPECT_EQ(Feed(Frame(Opcode::kText, "done") + Frame(Opcode::kContinuation, "x", false)),
            (Events{"text:done", "error:1002"}));
}

TEST(FrameReaderTest, NewMessageWhileFragmentedIsProtocolError) {
  EXPECT_EQ(Feed(Frame(Opcode::kText, "a", false) + Frame(Opcode::kText, "b")),
            Events{"error:1002"});
  EXPECT_EQ(Feed(Frame(Opcode::kBinary, "a", false) + Frame(Opcode::kBinary, "b", false)),
            Events{"error:1002"});
}

TEST(FrameReaderTest, InvalidUtf8TextIsInvalidPayload) {
  EXPECT_EQ(Feed(Frame(Opcode::kText, "bad \xff")), Events{"error:1007"});
  EXPECT_EQ(Feed(Frame(Opcode::kText, "\xed\xa0\x80")), Events{"error:1007"});  // surrogate
  EXPECT_EQ(Feed(Frame(Opcode::kBinary, "\xff\xfe")), Events{"binary:\xff\xfe"});
}

TEST(FrameReaderTest, FragmentedTextFailsFastOnBadUtf8) {
  // The bad fragment alone is enough: no need to wait for the end of the message.
  EXPECT_EQ(
      Feed(Frame(Opcode::kText, "ok", false) + Frame(Opcode::kContinuation, "\xc0\xaf", false)),
      Events{"error:1007"});
}

TEST(FrameReaderTest, CodePointSplitAcrossFragments) {
  const std::string euro = "\xe2\x82\xac";
  const std::string wire = Frame(Opcode::kText, euro.substr(0, 1), false) +
                           Frame(Opcode::kContinuation, euro.substr(1, 1), false) +
                           Frame(Opcode::kContinuation, euro.substr(2), true);
  EXPECT_EQ(Feed(wire), Events{"text:" + euro});
}

TEST(FrameReaderTest, FragmentedTextEndingInsideACodePointIsInvalidPayload) {
  EXPECT_EQ(Feed(Frame(Opcode::kText, "a\xe2\x82", false) + Frame(Opcode::kContinuation, "", true)),
            Events{"error:1007"});
}

TEST(FrameReaderTest, CloseFrames) {
  EXPECT_EQ(Feed(Frame(Opcode::kClose, "")), Events{"close:1005:"});
  EXPECT_EQ(Feed(Frame(Opcode::kClose, CloseBody(1000, "bye"))), Events{"close:1000:bye"});
  EXPECT_EQ(Feed(Frame(Opcode::kClose, CloseBody(4001, ""))), Events{"close:4001:"});
  EXPECT_EQ(Feed(Frame(Opcode::kClose, "\x03")), Events{"error:1002"});
  for (uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 2999, 5000}) {
    EXPECT_EQ(Feed(Frame(Opcode::kClose, CloseBody(code, ""))), Events{"error:1002"}) << code;
  }
  EXPECT_EQ(Feed(Frame(Opcode::kClose, CloseBody(1000, "\xce\xba\xff"))), Events{"error:1007"});
}

TEST(FrameReaderTest, NothingIsReadAfterClose) {
  const std::string close = Frame(Opcode::kClose, CloseBody(1001, ""));
  std::vector<uint8_t> buf = Bytes(close + Frame(Opcode::kText, "late"));
  FrameReader reader({});
  RecordingSink sink;
  EXPECT_EQ(reader.Consume(buf, sink), close.size());
  EXPECT_TRUE(reader.closed());
  EXPECT_FALSE(reader.failed());
  EXPECT_EQ(reader.Consume(std::span(buf).subspan(close.size()), sink), 0u);
  EXPECT_EQ(sink.events, Events{"close:1001:"});
}

TEST(FrameReaderTest, NothingIsReadAfterProtocolError) {
  std::vector<uint8_t> buf = Bytes(EncodeFrame(Opcode::kText, "unmasked"));
  FrameReader reader({});
  RecordingSink sink;
  reader.Consume(buf, sink);
  EXPECT_TRUE(reader.failed());
  std::vector<uint8_t> good = Bytes(Frame(Opcode::kText, "fine"));
  EXPECT_EQ(reader.Consume(good, sink), 0u);
  EXPECT_EQ(sink.events, Events{"error:1002"});
}

TEST(FrameReaderTest, MessageSizeLimit) {
  const ReaderLimits limits{.max_message_bytes = 200};
  EXPECT_EQ(Feed(Frame(Opcode::kText, std::string(200, 'a')), limits),
            Events{"text:" + std::string(200, 'a')});
  EXPECT_EQ(Feed(Frame(Opcode::kText, std::string(201, 'a')), limits), Events{"error:1009"});
  // Fragments count together: 150 + 51 > 200, refused at the second fragment's header.
  EXPECT_EQ(Feed(Frame(Opcode::kBinary, std::string(150, 'a'), false) +
                     Frame(Opcode::kContinuation, std::string(51, 'a'), true),
                 limits),
            Events{"error:1009"});
  EXPECT_EQ(Feed(Frame(Opcode::kBinary, std::string(150, 'a'), false) +
                     Frame(Opcode::kContinuation, std::string(50, 'a'), true),
                 limits),
            Events{"binary:" + std::string(200, 'a')});
}

TEST(FrameReaderTest, DefaultLimitIs64KiB) {
  EXPECT_EQ(Feed(Frame(Opcode::kBinary, std::string(65536, 'z'))).size(), 1u);
  EXPECT_EQ(FeedInSteps(Frame(Opcode::kBinary, std::string(65537, 'z')), 0), Events{"error:1009"});
}

TEST(FrameReaderTest, OversizedFrameFailsOnItsHeaderAlone) {
  // Only the header of a 1 MiB frame: the reader must not wait for the payload.
  std::string header = Frame(Opcode::kBinary, std::string(1 << 20, 'x')).substr(0, 14);
  std::vector<uint8_t> buf = Bytes(header);
  FrameReader reader({});
  RecordingSink sink;
  reader.Consume(buf, sink);
  EXPECT_EQ(sink.events, Events{"error:1009"});
  EXPECT_LE(header.size(), reader.max_pending_bytes());
}

TEST(FrameReaderTest, SixtyFourBitLengthWithTopBitIsProtocolError) {
  std::string wire = Frame(Opcode::kBinary, std::string(70000, 'x'));
  wire[2] = static_cast<char>(0x80);
  EXPECT_EQ(Feed(wire.substr(0, 14)), Events{"error:1002"});
}

TEST(FrameReaderTest, NonMinimalLengthIsProtocolError) {
  // 5 bytes announced with the 16-bit form, then with the 64-bit form.
  const std::string key = "\x01\x02\x03\x04";
  EXPECT_EQ(Feed(std::string("\x82\xFE\x00\x05", 4) + key + "abcde"), Events{"error:1002"});
  EXPECT_EQ(Feed(std::string("\x82\xFF\x00\x00\x00\x00\x00\x00\x00\x05", 10) + key + "abcde"),
            Events{"error:1002"});
  EXPECT_EQ(Feed(std::string("\x82\xFF\x00\x00\x00\x00\x00\x00\xFF\xFF", 10) + key),
            Events{"error:1002"});
}

}  // namespace
}  // namespace parley::ws
