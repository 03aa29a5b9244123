#include "match/matchmaker.h"

#include <gtest/gtest.h>

#include <vector>

namespace parley::match {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kTtl = 30000;

Seeker Http(std::string id, std::string device = "", Filters f = {}) {
  return Seeker{.user_id = id,
                .user_name = "name-" + id,
                .device_id = device.empty() ? "dev-" + id : device,
                .filters = std::move(f)};
}

Seeker Socket(std::string id, int conn, Filters f = {}) {
  Seeker s = Http(std::move(id), "", std::move(f));
  s.endpoint = Endpoint{0, static_cast<uint64_t>(conn)};
  return s;
}

class MatchmakerTest : public ::testing::Test {
 protected:
  Matchmaker mm_{MatchmakerOptions{.ttl_ms = kTtl, .max_queue = 100},
                 [this](const Seeker& w, const Pairing& p) {
                   told_.push_back({w, p});
                 }};
  std::vector<std::pair<Seeker, Pairing>> told_;
};

TEST_F(MatchmakerTest, SecondCompatibleUserIsMatchedAndTheFirstLearnsOnItsNextPost) {
  Outcome a = mm_.Request(Http("alice"), kT0);
  EXPECT_EQ(a.kind, Outcome::Kind::kWaiting);
  EXPECT_EQ(a.queue_key, "queue:any");
  Outcome b = mm_.Request(Http("bob"), kT0 + 10);
  ASSERT_EQ(b.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(b.pairing.session_id, "chat:alice:bob");
  EXPECT_EQ(b.pairing.partner_id, "alice");
  EXPECT_EQ(b.pairing.partner_name, "name-alice");
  EXPECT_EQ(mm_.waiting(), 0u);
  Outcome again = mm_.Request(Http("alice"), kT0 + 20);
  ASSERT_EQ(again.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(again.pairing.session_id, "chat:alice:bob");
  EXPECT_EQ(again.pairing.partner_id, "bob");
  EXPECT_TRUE(again.delivered_later);
  EXPECT_TRUE(told_.empty());
}

TEST_F(MatchmakerTest, PostingTwiceKeepsOneEntry) {
  mm_.Request(Http("alice"), kT0);
  Outcome again = mm_.Request(Http("alice"), kT0 + 1000);
  EXPECT_EQ(again.kind, Outcome::Kind::kWaiting);
  EXPECT_EQ(mm_.waiting(), 1u);
}

TEST_F(MatchmakerTest, NeverMatchedWithItselfOrTheSameDevice) {
  mm_.Request(Http("alice", "phone-1"), kT0);
  EXPECT_EQ(mm_.Request(Http("alice", "phone-1"), kT0 + 1).kind, Outcome::Kind::kWaiting);
  EXPECT_EQ(mm_.Request(Http("alice2", "phone-1"), kT0 + 2).kind, Outcome::Kind::kWaiting);
  EXPECT_EQ(mm_.waiting(), 2u);
  Outcome c = mm_.Request(Http("carol", "phone-2"), kT0 + 3);
  ASSERT_EQ(c.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(c.pairing.partner_id, "alice");  // the oldest first
}

TEST_F(MatchmakerTest, EntryExpiresExactlyTtlAfterTheLastRequest) {
  mm_.Request(Http("alice"), kT0);
  mm_.Request(Http("alice"), kT0 + 10000);  // refreshed: now lives until kT0 + 40000
  EXPECT_EQ(mm_.Request(Http("bob"), kT0 + 10000 + kTtl - 1).kind, Outcome::Kind::kMatched);

  const int64_t t1 = kT0 + 40000;
  mm_.Request(Http("carol"), t1);
  EXPECT_EQ(mm_.Request(Http("dave"), t1 + kTtl).kind, Outcome::Kind::kWaiting)
      << "carol expired at exactly +30 s";
  mm_.Expire(t1 + kTtl);
  EXPECT_FALSE(mm_.is_waiting("carol"));
  EXPECT_TRUE(mm_.is_waiting("dave"));
  mm_.Expire(t1 + 2 * kTtl - 1);
  EXPECT_TRUE(mm_.is_waiting("dave"));
  mm_.Expire(t1 + 2 * kTtl);
  EXPECT_EQ(mm_.waiting(), 0u);
}

TEST_F(MatchmakerTest, FiltersMustAgreeAndMissingMeansAny) {
  Filters happy{.emotion = "😊"};
  Filters sad{.emotion = "😢"};
  Filters happy_en{.emotion = "😊", .language = "English"};
  Filters happy_hi{.emotion = "😊", .language = "Hindi"};
  EXPECT_EQ(mm_.Request(Http("a", "", happy_en), kT0).queue_key,
            "queue:emotion:😊:language:English");
  EXPECT_EQ(mm_.Request(Http("b", "", sad), kT0).queue_key, "queue:emotion:😢");
  EXPECT_EQ(mm_.Request(Http("c", "", happy_hi), kT0).kind, Outcome::Kind::kWaiting);
  Outcome d = mm_.Request(Http("d", "", happy), kT0);  // any language: a is the oldest
  ASSERT_EQ(d.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(d.pairing.partner_id, "a");
  Outcome e = mm_.Request(Http("e"), kT0);  // no filters: anyone
  ASSERT_EQ(e.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(e.pairing.partner_id, "b");
  Outcome f = mm_.Request(Http("f", "", Filters{.language = "Hindi", .mode = "text"}), kT0);
  ASSERT_EQ(f.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(f.pairing.partner_id, "c");
  EXPECT_EQ(mm_.waiting(), 0u);
}

TEST_F(MatchmakerTest, HttpAndSocketUsersAreMatchedTogether) {
  mm_.Request(Socket("sock", 7), kT0);
  Outcome h = mm_.Request(Http("web"), kT0 + 1);
  ASSERT_EQ(h.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(h.pairing.partner_id, "sock");
  ASSERT_EQ(told_.size(), 1u);
  EXPECT_EQ(told_[0].first.endpoint.conn, 7u);
  EXPECT_EQ(told_[0].second.partner_id, "web");
  EXPECT_EQ(told_[0].second.session_id, h.pairing.session_id);

  mm_.Request(Http("web2"), kT0 + 2);
  Outcome s = mm_.Request(Socket("sock2", 8), kT0 + 3);
  ASSERT_EQ(s.kind, Outcome::Kind::kMatched);
  EXPECT_EQ(s.pairing.partner_id, "web2");
}

TEST_F(MatchmakerTest, SocketEntriesWaitUntilCancelled) {
  mm_.Request(Socket("sock", 7), kT0);
  mm_.Expire(kT0 + 10 * kTtl);
  EXPECT_TRUE(mm_.is_waiting("sock"));
  mm_.Cancel("sock");
  EXPECT_EQ(mm_.Request(Http("web"), kT0 + 10 * kTtl).kind, Outcome::Kind::kWaiting);
}

TEST_F(MatchmakerTest, MatchedUserLeavesEveryIndexAtOnce) {
  mm_.Request(Http("a", "", Filters{.emotion = "x", .language = "y", .mode = "z"}), kT0);
  ASSERT_EQ(mm_.Request(Http("b", "", Filters{.mode = "z"}), kT0).kind, Outcome::Kind::kMatched);
  // a is listed under every subset of its filters; none of them may return it again.
  for (Filters f : {Filters{}, Filters{.emotion = "x"}, Filters{.language = "y"},
                    Filters{.emotion = "x", .language = "y", .mode = "z"}}) {
    EXPECT_EQ(mm_.Request(Http("probe", "", f), kT0).kind, Outcome::Kind::kWaiting);
    mm_.Cancel("probe");
  }
}

TEST_F(MatchmakerTest, FullQueueRejectsAndPairLimitKeepsNobodyWaiting) {
  Matchmaker small(MatchmakerOptions{.ttl_ms = kTtl, .max_queue = 1}, nullptr);
  small.Request(Http("a", "", Filters{.mode = "text"}), kT0);
  Outcome b = small.Request(Http("b", "", Filters{.mode = "voice"}), kT0);
  ASSERT_EQ(b.kind, Outcome::Kind::kRejected);
  EXPECT_EQ(b.status.code(), ErrorCode::kQueueFull);
  Outcome c = small.Request(Http("c", "", Filters{.mode = "text"}), kT0, /*may_pair=*/false);
  ASSERT_EQ(c.kind, Outcome::Kind::kRejected);
  EXPECT_EQ(c.status.code(), ErrorCode::kPairLimit);
  EXPECT_TRUE(small.is_waiting("a"));
  EXPECT_FALSE(small.is_waiting("c"));
}

TEST_F(MatchmakerTest, UndeliveredMatchExpiresAfterTtl) {
  mm_.Request(Http("alice"), kT0);
  mm_.Request(Http("bob"), kT0);
  mm_.Expire(kT0 + kTtl);
  EXPECT_EQ(mm_.undelivered(), 0u);
  EXPECT_EQ(mm_.Request(Http("alice"), kT0 + kTtl).kind, Outcome::Kind::kWaiting);
}

TEST_F(MatchmakerTest, ChurnDoesNotGrowTheIndex) {
  for (int i = 0; i < 20000; ++i) {
    int64_t now = kT0 + i;
    mm_.Request(Http("w" + std::to_string(i), "", Filters{.mode = "text"}), now);
    mm_.Cancel("w" + std::to_string(i));
    mm_.Expire(now);
  }
  EXPECT_EQ(mm_.waiting(), 0u);
  EXPECT_EQ(mm_.Request(Http("x"), kT0 + 20000).kind, Outcome::Kind::kWaiting);
}

}  // namespace
}  // namespace parley::match
