#include "base/metrics.h"

#include <gtest/gtest.h>

namespace parley::metrics {
namespace {

TEST(MetricsTest, RendersCountersGaugesAndCumulativeHistograms) {
  Registry r;
  Counter& c = r.AddCounter("parley_messages_total", "Messages.");
  c.Add(3);
  c.Add();
  r.AddGauge("parley_rooms", "Rooms.", [] { return 7.0; });
  Histogram& h = r.AddHistogram("parley_commit_seconds", "Commit time.", {0.001, 0.01});
  h.Observe(0.0005);
  h.Observe(0.005);
  h.Observe(0.5);
  const std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE parley_messages_total counter\nparley_messages_total 4\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("parley_rooms 7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("parley_commit_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("parley_commit_seconds_bucket{le=\"0.01\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("parley_commit_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("parley_commit_seconds_count 3\n"), std::string::npos);
}

}  // namespace
}  // namespace parley::metrics
