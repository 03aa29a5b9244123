#include "ai/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::ai {
namespace {

// Feeds `chunks` one by one; returns "event|data" per event.
std::vector<std::string> Events(const std::vector<std::string>& chunks, size_t limit = 1024,
                                bool* ok = nullptr) {
  SseParser p(limit);
  std::vector<std::string> out;
  bool good = true;
  for (const auto& c : chunks) {
    good = p.Feed(c, [&](const SseEvent& e) {
      out.push_back(std::string(e.event) + "|" + std::string(e.data));
      return true;
    });
    if (!good) break;
  }
  if (ok) *ok = good;
  return out;
}

TEST(SseParserTest, OpenAiStream) {
  auto ev = Events({"data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n"});
  EXPECT_EQ(ev, (std::vector<std::string>{"|{\"a\":1}", "|{\"b\":2}", "|[DONE]"}));
}

TEST(SseParserTest, AnyChunkingGivesTheSameEvents) {
  const std::string body = "event: x\r\ndata: one\r\ndata:two\r\n\r\n: keepalive\n\ndata: 3\r\r";
  const auto whole = Events({body});
  EXPECT_EQ(whole, (std::vector<std::string>{"x|one\ntwo", "|3"}));
  for (size_t split = 0; split <= body.size(); ++split) {
    EXPECT_EQ(Events({body.substr(0, split), body.substr(split)}), whole) << split;
  }
  std::vector<std::string> bytes;
  for (char c : body) bytes.emplace_back(1, c);
  EXPECT_EQ(Events(bytes), whole);
}

TEST(SseParserTest, CommentsAndEventsWithoutDataAreSilent) {
  EXPECT_TRUE(Events({": ping\n\nevent: nothing\n\nid: 7\nretry: 10\n\n"}).empty());
}

TEST(SseParserTest, SkipsALeadingBomEvenWhenSplit) {
  EXPECT_EQ(Events({"\xEF", "\xBB",
                    "\xBF"
                    "data: a\n\n"}),
            (std::vector<std::string>{"|a"}));
}

TEST(SseParserTest, FieldWithoutColonAndNoSpace) {
  EXPECT_EQ(Events({"data\n\ndata:x\n\n"}), (std::vector<std::string>{"|", "|x"}));
}

TEST(SseParserTest, UnfinishedEventIsNotReported) { EXPECT_TRUE(Events({"data: half"}).empty()); }

TEST(SseParserTest, AnEndlessLineFailsAtTheLimit) {
  bool ok = true;
  Events({"data: ", std::string(100, 'x'), std::string(100, 'x')}, 150, &ok);
  EXPECT_FALSE(ok);
  // The same bytes in one piece fail the same way.
  Events({"data: " + std::string(200, 'x') + "\n\n"}, 150, &ok);
  EXPECT_FALSE(ok);
  // An event of many short lines counts as a whole.
  std::string many;
  for (int i = 0; i < 40; ++i) many += "data: 0123456789\n";
  Events({many + "\n"}, 150, &ok);
  EXPECT_FALSE(ok);
}

TEST(SseParserTest, StopsWhenTheSinkSaysSo) {
  SseParser p(1024);
  int seen = 0;
  EXPECT_FALSE(p.Feed("data: a\n\ndata: b\n\n", [&](const SseEvent&) {
    ++seen;
    return false;
  }));
  EXPECT_EQ(seen, 1);
  EXPECT_TRUE(p.stopped());
  EXPECT_FALSE(p.Feed("data: c\n\n", [&](const SseEvent&) { return true; }));
}

}  // namespace
}  // namespace parley::ai
