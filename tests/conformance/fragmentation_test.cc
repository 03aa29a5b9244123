// Autobahn families 5 (fragmentation) and 6 (UTF-8 in text messages).
#include "conformance.h"

namespace parley::conformance {
namespace {

using testing::EncodeWsFrame;

// Sends the frames in one write, one write each, or one byte per write.
enum class Writes { kOne, kEach, kBytewise };

bool SendFrames(WsClient& c, const std::vector<std::string>& frames, Writes w) {
  std::string all;
  for (const auto& f : frames) {
    if (w == Writes::kEach && !c.SendRaw(f)) return false;
    all += f;
  }
  if (w == Writes::kOne) return c.SendRaw(all);
  if (w == Writes::kBytewise) return c.SendRawBytewise(all);
  return true;
}

std::vector<std::string> TwoFragments(bool ping_between) {
  std::vector<std::string> frames = {EncodeWsFrame(op::kText, "fragment1", false)};
  if (ping_between) frames.push_back(EncodeWsFrame(op::kPing, "between"));
  frames.push_back(EncodeWsFrame(op::kContinuation, "fragment2", true));
  return frames;
}

// --- 5 fragmentation ---------------------------------------------------------------

TEST_F(Fragmentation, Case_5_1_FragmentedPing) {
  PARLEY_CASE("5.1", "Ping in 2 fragments", "close 1002 (control frames must not be fragmented)");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kPing, "frag1", false) +
                    EncodeWsFrame(op::kContinuation, "frag2", true)));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_2_FragmentedPong) {
  PARLEY_CASE("5.2", "Pong in 2 fragments", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kPong, "frag1", false) +
                    EncodeWsFrame(op::kContinuation, "frag2", true)));
  ExpectClose(c, 1002);
}

struct FragCase {
  const char* id;
  const char* description;
  bool ping_between;
  Writes writes;
};

class TextFragments : public Fragmentation, public ::testing::WithParamInterface<FragCase> {};

TEST_P(TextFragments, OneChatMessage) {
  const FragCase& k = GetParam();
  PARLEY_CASE(k.id, k.description,
              k.ping_between ? "pong, and one chat message \"fragment1fragment2\""
                             : "one chat message \"fragment1fragment2\"");
  WsClient& c = Join();
  ASSERT_TRUE(SendFrames(c, TwoFragments(k.ping_between), k.writes));
  if (k.ping_between) ExpectPong(c, "between");
  ExpectChat(c, "fragment1fragment2");
}

INSTANTIATE_TEST_SUITE_P(
    Text, TextFragments,
    ::testing::Values(
        FragCase{"5.3", "Text in 2 fragments, one TCP write", false, Writes::kOne},
        FragCase{"5.4", "Text in 2 fragments, one write per frame", false, Writes::kEach},
        FragCase{"5.5", "Text in 2 fragments, one byte per write", false, Writes::kBytewise},
        FragCase{"5.6", "Text in 2 fragments with a ping between, one write", true, Writes::kOne},
        FragCase{"5.7", "Text in 2 fragments with a ping between, one write per frame", true,
                 Writes::kEach},
        FragCase{"5.8", "Text in 2 fragments with a ping between, one byte per write", true,
                 Writes::kBytewise}));

TEST_F(Fragmentation, Case_5_9_ContinuationWithoutStartFinal) {
  PARLEY_CASE("5.9", "Continuation frame (FIN) with no message started", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendFrame(op::kContinuation, "fragment", true));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_10_ContinuationWithoutStartNotFinal) {
  PARLEY_CASE("5.10", "Continuation frame (no FIN) with no message started", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendFrame(op::kContinuation, "fragment", false));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_11_ContinuationWithoutStartBytewise) {
  PARLEY_CASE("5.11", "Continuations with no message started, one byte per write", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRawBytewise(EncodeWsFrame(op::kContinuation, "fragment1", false) +
                            EncodeWsFrame(op::kContinuation, "fragment2", true)));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_12_TextStartWhileFragmentOpen) {
  PARLEY_CASE("5.12", "Text start (no FIN), then a new text frame instead of a continuation",
              "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, "fragment1", false) +
                    EncodeWsFrame(op::kText, "fragment2", true)));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_13_BinaryStartWhileTextOpen) {
  PARLEY_CASE("5.13", "Text start (no FIN), then a binary frame instead of a continuation",
              "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, "fragment1", false) +
                    EncodeWsFrame(op::kBinary, "fragment2", true)));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_14_ContinuationAfterFinishedMessage) {
  PARLEY_CASE("5.14", "Text in 2 fragments, then a stray continuation (FIN)", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, "fragment1", false) +
                    EncodeWsFrame(op::kContinuation, "fragment2", true) +
                    EncodeWsFrame(op::kContinuation, "fragment3", true)));
  ExpectClose(c, 1002);
}

TEST_F(Fragmentation, Case_5_15_ManyFragmentsWithPings) {
  PARLEY_CASE("5.15", "Text in 10 fragments with a ping after each, one write",
              "10 pongs in order, and one chat message of the joined fragments");
  WsClient& c = Join();
  std::string bytes, whole;
  for (int i = 0; i < 10; ++i) {
    std::string part = "part" + std::to_string(i) + ";";
    whole += part;
    bytes += EncodeWsFrame(i == 0 ? op::kText : op::kContinuation, part, i == 9);
    bytes += EncodeWsFrame(op::kPing, "ping " + std::to_string(i));
  }
  ASSERT_TRUE(c.SendRaw(bytes));
  for (int i = 0; i < 10 && !HasFailure(); ++i) ExpectPong(c, "ping " + std::to_string(i));
  ExpectChat(c, whole);
}

TEST_F(Fragmentation, Case_5_16_EmptyFragments) {
  PARLEY_CASE("5.16", "Text as empty start, 'abc', empty final continuation",
              "one chat message \"abc\"");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendRaw(EncodeWsFrame(op::kText, "", false) +
                        EncodeWsFrame(op::kContinuation, "abc", false) +
                        EncodeWsFrame(op::kContinuation, "", true)));
  ExpectChat(c, "abc");
}

TEST_F(Fragmentation, Case_5_17_FragmentedClose) {
  PARLEY_CASE("5.17", "Close in 2 fragments", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kClose, testing::ClosePayload(1000), false) +
                    EncodeWsFrame(op::kContinuation, "", true)));
  ExpectClose(c, 1002);
}

// --- 6 UTF-8 ------------------------------------------------------------------------

struct Utf8Case {
  const char* id;
  const char* description;
  std::vector<std::string> fragments;  // one element: a single frame
  bool valid;
};

class Utf8Text : public Utf8, public ::testing::WithParamInterface<Utf8Case> {};

TEST_P(Utf8Text, Checked) {
  const Utf8Case& k = GetParam();
  PARLEY_CASE(k.id, k.description, k.valid ? "delivered unchanged" : "close 1007");
  WsClient& c = Join();
  std::string bytes, whole;
  for (size_t i = 0; i < k.fragments.size(); ++i) {
    whole += k.fragments[i];
    bytes += EncodeWsFrame(i == 0 ? op::kText : op::kContinuation, k.fragments[i],
                           i + 1 == k.fragments.size());
  }
  MayFail(c.SendRaw(bytes));
  if (k.valid) {
    ExpectChat(c, whole);
  } else {
    ExpectClose(c, 1007);
  }
}

// Splits `s` into 1-byte fragments.
std::vector<std::string> Bytes(std::string_view s) {
  std::vector<std::string> out;
  for (char ch : s) out.emplace_back(1, ch);
  return out;
}

const char kKosme[] = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5";  // "κόσμε"

INSTANTIATE_TEST_SUITE_P(
    Cases, Utf8Text,
    ::testing::Values(
        Utf8Case{"6.1.1", "Greek \"kosme\" (2- and 3-byte sequences)", {kKosme}, true},
        Utf8Case{"6.1.2", "Emoji U+1F600 (4-byte sequence)", {"smile \xf0\x9f\x98\x80"}, true},
        Utf8Case{"6.1.3",
                 "Boundary code points U+07FF U+0800 U+FFFF U+10000 U+10FFFF",
                 {"x \xdf\xbf \xe0\xa0\x80 \xef\xbf\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"},
                 true},
        Utf8Case{"6.1.4", "\"kosme\" in 1-byte fragments", Bytes(kKosme), true},
        Utf8Case{"6.1.5",
                 "U+1F600 split inside the code point across 2 fragments",
                 {"smile \xf0\x9f", "\x98\x80"},
                 true},
        Utf8Case{"6.2.1", "Overlong NUL 0xC0 0x80", {"ab\xc0\x80"}, false},
        Utf8Case{"6.2.2", "Overlong '/' 0xE0 0x80 0xAF", {"ab\xe0\x80\xaf"}, false},
        Utf8Case{"6.2.3", "UTF-16 surrogate U+D800 (0xED 0xA0 0x80)", {"ab\xed\xa0\x80"}, false},
        Utf8Case{"6.2.4", "Above U+10FFFF (0xF4 0x90 0x80 0x80)", {"ab\xf4\x90\x80\x80"}, false},
        Utf8Case{
            "6.2.5", "5-byte sequence 0xF8 0x88 0x80 0x80 0x80", {"ab\xf8\x88\x80\x80\x80"}, false},
        Utf8Case{"6.2.6",
                 "Lone continuation byte 0x80",
                 {"ab\x80"
                  "cd"},
                 false},
        Utf8Case{"6.2.7", "Bytes 0xFE and 0xFF", {"ab\xfe\xff"}, false},
        Utf8Case{"6.2.8", "Sequence cut short at the end of the message", {"abc\xe2\x82"}, false},
        Utf8Case{"6.3.1",
                 "Invalid sequence (surrogate) split across 2 fragments",
                 {std::string(kKosme) + "\xed",
                  "\xa0\x80"
                  "edited"},
                 false},
        Utf8Case{"6.3.2",
                 "Sequence cut short at the end of the last fragment",
                 {"abc", "\xe2\x82"},
                 false},
        Utf8Case{
            "6.3.3", "Invalid byte in the first of 3 fragments", {"ab\xff", "cd", "ef"}, false}));

}  // namespace
}  // namespace parley::conformance
