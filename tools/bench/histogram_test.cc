#include "histogram.h"

#include <gtest/gtest.h>

namespace parley::bench {
namespace {

// Within the histogram's precision (two significant digits: under 1%).
void ExpectNear(uint64_t actual, uint64_t expected) {
  EXPECT_LE(actual, expected + expected / 100 + 1) << "expected about " << expected;
  EXPECT_GE(actual + actual / 100 + 1, expected) << "expected about " << expected;
}

TEST(HistogramTest, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(50), 0u);
  EXPECT_EQ(h.max(), 0u);
}

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 50u);
  EXPECT_EQ(h.Percentile(90), 90u);
  EXPECT_EQ(h.Percentile(99), 99u);
  EXPECT_EQ(h.Percentile(100), 100u);
  EXPECT_EQ(h.min(), 1u);
}

TEST(HistogramTest, PercentilesOfUniformData) {
  Histogram h;
  for (uint64_t v = 1; v <= 100000; ++v) h.Record(v);
  ExpectNear(h.Percentile(50), 50000);
  ExpectNear(h.Percentile(90), 90000);
  ExpectNear(h.Percentile(99), 99000);
  ExpectNear(h.Percentile(99.9), 99900);
  EXPECT_EQ(h.max(), 100000u);
  EXPECT_EQ(h.Percentile(100), 100000u);
}

TEST(HistogramTest, OneOutlierShowsOnlyInTheTail) {
  Histogram h;
  h.RecordN(200, 999);
  h.Record(5'000'000);  // 5 s in microseconds
  EXPECT_EQ(h.Percentile(50), 200u);
  EXPECT_EQ(h.Percentile(99.9), 200u);
  ExpectNear(h.Percentile(99.95), 5'000'000);
  EXPECT_EQ(h.max(), 5'000'000u);
}

TEST(HistogramTest, EveryValueMapsToABucketThatContainsIt) {
  for (uint64_t v : {1ull, 255ull, 256ull, 257ull, 1000ull, 123456ull, 99'999'999ull}) {
    const uint64_t top = Histogram::HighestEquivalent(Histogram::IndexOf(v));
    EXPECT_GE(top, v);
    EXPECT_LE(top - v, v / 100 + 1) << v;
  }
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, all;
  for (uint64_t v = 1; v <= 5000; ++v) {
    (v % 3 == 0 ? a : b).Record(v * 7);
    all.Record(v * 7);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double p : {10.0, 50.0, 90.0, 99.0, 99.9}) EXPECT_EQ(a.Percentile(p), all.Percentile(p));
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
}

TEST(HistogramTest, TextFormRoundTrips) {
  Histogram h;
  for (uint64_t v = 1; v < 100000; v += 37) h.Record(v);
  Histogram back;
  ASSERT_TRUE(Histogram::FromText(h.ToText(), &back));
  EXPECT_EQ(back.count(), h.count());
  EXPECT_EQ(back.Percentile(99), h.Percentile(99));
  EXPECT_EQ(back.max(), h.max());
  EXPECT_FALSE(Histogram::FromText("garbage", &back));
}

}  // namespace
}  // namespace parley::bench
