#include "protocol/ws/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace parley::ws {
namespace {

// An independent reference: decodes each sequence arithmetically and applies the RFC 3629
// rules (shortest form, no surrogates, at most U+10FFFF).
bool ReferenceValid(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((b >> 5) == 0x6) {
      len = 2, cp = b & 0x1F;
    } else if ((b >> 4) == 0xE) {
      len = 3, cp = b & 0x0F;
    } else if ((b >> 3) == 0x1E) {
      len = 4, cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const uint8_t c = s[i + k];
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

const std::vector<std::string> kValid = {
    "",
    "hello, world",
    "\x7f",
    "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5",  // Kuhn 1: "kosme" in Greek
    "\xc2\x80",                                      // U+0080, first 2-byte
    "\xdf\xbf",                                      // U+07FF, last 2-byte
    "\xe0\xa0\x80",                                  // U+0800, first 3-byte
    "\xed\x9f\xbf",                                  // U+D7FF, just below surrogates
    "\xee\x80\x80",                                  // U+E000, just above surrogates
    "\xef\xbf\xbd",                                  // U+FFFD
    "\xef\xbf\xbf",                                  // U+FFFF, last 3-byte
    "\xf0\x90\x80\x80",                              // U+10000, first 4-byte
    "\xf4\x8f\xbf\xbf",                              // U+10FFFF, last code point
    "caf\xc3\xa9 \xf0\x9f\x92\xac chat",             // mixed ASCII, 2- and 4-byte
};

const std::vector<std::string> kInvalid = {
    "\x80",  // lone continuation bytes
    "\xbf",
    "\x80\xbf\x80",
    "\xc0\xaf",                  // overlong '/'
    "\xc0\x80",                  // overlong NUL
    "\xc1\xbf",                  // overlong U+007F
    "\xe0\x80\xaf",              // overlong '/' in 3 bytes
    "\xe0\x9f\xbf",              // overlong U+07FF
    "\xf0\x80\x80\xaf",          // overlong '/' in 4 bytes
    "\xf0\x8f\xbf\xbf",          // overlong U+FFFF
    "\xed\xa0\x80",              // U+D800, first high surrogate
    "\xed\xad\xbf",              // U+DB7F
    "\xed\xae\x80",              // U+DB80
    "\xed\xbf\xbf",              // U+DFFF, last low surrogate
    "\xed\xa0\x80\xed\xb0\x80",  // surrogate pair U+D800 U+DC00
    "\xf4\x90\x80\x80",          // U+110000
    "\xf5\x80\x80\x80",          // lead bytes that can only exceed U+10FFFF
    "\xf7\xbf\xbf\xbf",
    "\xf8\x88\x80\x80\x80",  // 5- and 6-byte forms
    "\xfc\x84\x80\x80\x80\x80",
    "\xfe",
    "\xff",
    "\xc2",  // truncated sequences
    "\xe0\xa0",
    "\xf0\x90\x80",
    "\xc2\x41",  // lead byte followed by ASCII
    "\xe1\x80\x41",
    "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce",  // valid text cut inside the last char
};

TEST(Utf8Test, AcceptsValidText) {
  for (const auto& s : kValid) {
    EXPECT_TRUE(IsValidUtf8(s)) << testing::PrintToString(s);
    EXPECT_TRUE(ReferenceValid(s)) << testing::PrintToString(s);
  }
}

TEST(Utf8Test, RejectsOverlongsSurrogatesOutOfRangeAndTruncated) {
  for (const auto& s : kInvalid) {
    EXPECT_FALSE(IsValidUtf8(s)) << testing::PrintToString(s);
    EXPECT_FALSE(ReferenceValid(s)) << testing::PrintToString(s);
  }
}

TEST(Utf8Test, CodePointSplitAcrossFeedsAtEveryPoint) {
  for (const auto& s : kValid) {
    for (size_t cut = 0; cut <= s.size(); ++cut) {
      Utf8Validator v;
      EXPECT_TRUE(v.Feed(s.substr(0, cut)));
      EXPECT_TRUE(v.Feed(s.substr(cut)));
      EXPECT_TRUE(v.Complete()) << testing::PrintToString(s) << " cut " << cut;
    }
  }
}

TEST(Utf8Test, InvalidTextFedByteByByteIsRejected) {
  for (const auto& s : kInvalid) {
    Utf8Validator v;
    bool ok = true;
    for (char c : s) ok = ok && v.Feed(std::string_view(&c, 1));
    EXPECT_FALSE(ok && v.Complete()) << testing::PrintToString(s);
  }
}

TEST(Utf8Test, TruncatedSequenceIsIncompleteNotRejected) {
  Utf8Validator v;
  EXPECT_TRUE(v.Feed("ab\xf0\x9f"));
  EXPECT_FALSE(v.Complete());
  EXPECT_TRUE(v.Feed("\x92"));
  EXPECT_FALSE(v.Complete());
  EXPECT_TRUE(v.Feed("\xac"));
  EXPECT_TRUE(v.Complete());
}

TEST(Utf8Test, RejectionIsStickyUntilReset) {
  Utf8Validator v;
  EXPECT_FALSE(v.Feed("\xff"));
  EXPECT_FALSE(v.Feed("plain ascii"));
  EXPECT_FALSE(v.Feed(""));
  EXPECT_FALSE(v.Complete());
  v.Reset();
  EXPECT_TRUE(v.Feed("plain ascii"));
  EXPECT_TRUE(v.Complete());
}

// The ASCII fast path reads 8 bytes at a time: a bad byte or a multibyte character at any
// offset inside or across those words must still be seen.
TEST(Utf8Test, FastPathSeesEveryOffset) {
  for (size_t pos = 0; pos < 40; ++pos) {
    std::string bad(40, 'a');
    bad[pos] = '\x80';
    EXPECT_FALSE(IsValidUtf8(bad)) << "bad byte at " << pos;

    std::string good(40, 'a');
    good.insert(pos, "\xf0\x9f\x92\xac");
    EXPECT_TRUE(IsValidUtf8(good)) << "4-byte char at " << pos;

    std::string cut(pos, 'a');
    cut += "\xe2\x82";  // U+20AC without its last byte
    EXPECT_FALSE(IsValidUtf8(cut)) << "truncated char after " << pos;
  }
}

TEST(Utf8Test, AgreesWithReferenceOnEveryShortSequence) {
  std::string s;
  for (unsigned a = 0; a < 256; ++a) {
    s.assign(1, static_cast<char>(a));
    ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << a;
    for (unsigned b = 0; b < 256; ++b) {
      s.assign({static_cast<char>(a), static_cast<char>(b)});
      ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << a << " " << b;
    }
  }
  // Every 3-byte string whose first byte is not ASCII (an ASCII first byte reduces to the
  // 2-byte case above).
  for (unsigned a = 0x80; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) {
      for (unsigned c = 0; c < 256; ++c) {
        s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << a << " " << b << " " << c;
      }
    }
  }
}

TEST(Utf8Test, AgreesWithReferenceOnFourByteSequences) {
  std::string s;
  for (unsigned a = 0xF0; a < 0x100; ++a) {
    for (unsigned b = 0x70; b < 0xD0; ++b) {
      for (unsigned c = 0x70; c < 0xD0; ++c) {
        for (unsigned d : {0x41u, 0x7Fu, 0x80u, 0x9Fu, 0xA0u, 0xBFu, 0xC0u}) {
          s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                    static_cast<char>(d)});
          ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << a << " " << b << " " << c << " " << d;
        }
      }
    }
  }
}

}  // namespace
}  // namespace parley::ws
