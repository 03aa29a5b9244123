#include "visitor/domain_visitors.h"

#include <gtest/gtest.h>

namespace parley::visitor {
namespace {

class DomainVisitorsTest : public ::testing::Test {
 protected:
  // 2023-11-14 22:13:20 UTC: 1 h 46 min before midnight.
  ManualClock clock_{1'700'000'000'000};
  VisitorOptions options_{.timeout_ms = 10'000, .max_per_domain = 3, .top_pages = 2};
  DomainVisitors d_{"example.com", options_, clock_};
};

TEST_F(DomainVisitorsTest, AddCountsAFirstVisitTodayOnceAndAHeartbeatKeepsTheVisitor) {
  auto a = d_.Add("v1", R"({"page":"/"})", "/", "Firefox");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->first_today);
  EXPECT_EQ(a->visitor.user_agent, "Firefox");
  clock_.Advance(9'000);
  auto again = d_.Add("v1", "", "", "");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->first_today);
  EXPECT_EQ(again->visitor.page, "/") << "a heartbeat without data keeps what was known";
  clock_.Advance(9'000);  // 18 s after the first add, 9 s after the heartbeat
  DomainStats s = d_.Stats();
  EXPECT_EQ(s.active, 1);
  EXPECT_EQ(s.unique_today, 1);
}

TEST_F(DomainVisitorsTest, AVisitorSilentForTheTimeoutIsNoLongerCurrent) {
  ASSERT_TRUE(d_.Add("v1", "", "", "").ok());
  clock_.Advance(5'000);
  ASSERT_TRUE(d_.Add("v2", "", "", "").ok());
  clock_.Advance(5'000);
  EXPECT_EQ(d_.Expire(), 1);
  DomainStats s = d_.Stats();
  ASSERT_EQ(s.visitors.size(), 1u);
  EXPECT_EQ(s.visitors[0].id, "v2");
  EXPECT_EQ(s.unique_today, 2) << "an expired visitor was still seen today";
  EXPECT_FALSE(d_.Touch("v1"));
  EXPECT_TRUE(d_.Touch("v2"));
}

TEST_F(DomainVisitorsTest, RemoveAndTheLimitOfCurrentVisitors) {
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(d_.Add(id, "", "", "").ok());
  auto refused = d_.Add("d", "", "", "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kVisitorLimit);
  EXPECT_TRUE(d_.Add("a", "", "", "").ok()) << "a heartbeat of a current visitor is not new";
  EXPECT_TRUE(d_.Remove("b"));
  EXPECT_FALSE(d_.Remove("b"));
  EXPECT_TRUE(d_.Add("d", "", "", "").ok());
}

TEST_F(DomainVisitorsTest, TotalsComeFromTheStoreAndTodayStartsAtMidnight) {
  d_.Restore(DomainHistory{.total_unique = 7, .seen_today = {"old"}});
  auto a = d_.Add("old", "", "", "");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->first_today) << "seen earlier today, before a restart";
  auto b = d_.Add("new", "", "", "");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->first_today);
  d_.CountNewVisitor();
  EXPECT_EQ(d_.Stats().total_unique, 8);
  EXPECT_EQ(d_.Stats().unique_today, 2);
  clock_.Advance(2 * 3'600'000);  // past midnight UTC; everyone has timed out
  EXPECT_EQ(d_.Stats().unique_today, 0);
  auto c = d_.Add("old", "", "", "");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->first_today);
}

TEST_F(DomainVisitorsTest, TopPagesAreTheMostVisitedPagesOfCurrentVisitors) {
  ASSERT_TRUE(d_.Add("a", "", "/pricing", "").ok());
  ASSERT_TRUE(d_.Add("b", "", "/pricing", "").ok());
  ASSERT_TRUE(d_.Add("c", "", "/", "").ok());
  DomainStats s = d_.Stats();
  ASSERT_EQ(s.top_pages.size(), 2u);
  EXPECT_EQ(s.top_pages[0], (PageCount{"/pricing", 2}));
  EXPECT_EQ(s.top_pages[1], (PageCount{"/", 1}));
}

TEST(DayOfTest, DaysAreUtcAndFloorBeforeTheEpoch) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(86'399'999), 0);
  EXPECT_EQ(DayOf(86'400'000), 1);
  EXPECT_EQ(DayOf(-1), -1);
}

}  // namespace
}  // namespace parley::visitor
