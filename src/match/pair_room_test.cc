#include "match/pair_room.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <vector>

#include "protocol/ws/frame.h"

namespace parley::match {
namespace {

// Records what the room sends, decoded back to JSON text.
struct FakeEffects : PairEffects {
  struct Sent {
    Endpoint to;
    std::string json;
    bool ends;
  };
  struct Closed {
    Endpoint to;
    uint16_t code;
    std::string reason;
  };
  void Send(const Endpoint& to, const std::string&, SharedFrame frame, bool ends) override {
    // An unmasked text frame: 2-byte header for payloads under 126 bytes, 4 bytes below 64K.
    size_t header = (static_cast<uint8_t>((*frame)[1]) & 0x7f) == 126 ? 4 : 2;
    sent.push_back({to, frame->substr(header), ends});
  }
  void Close(const Endpoint& to, const std::string&, uint16_t code,
             std::string_view reason) override {
    closed.push_back({to, code, std::string(reason)});
  }
  std::vector<std::string> To(const Endpoint& e) const {
    std::vector<std::string> out;
    for (const auto& s : sent) {
      if (s.to == e) out.push_back(s.json);
    }
    return out;
  }
  std::vector<Sent> sent;
  std::vector<Closed> closed;
};

std::string Type(const std::string& json) {
  simdjson::dom::parser p;
  std::string_view t;
  if (p.parse(json)["type"].get(t) != simdjson::SUCCESS) return "";
  return std::string(t);
}

class PairRoomTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  FakeEffects fx_;
  PairRoom room_{"chat:a:b", PairOptions{.history = 3}, clock_, fx_};
  const Endpoint a_{0, 1}, b_{1, 2};
};

TEST_F(PairRoomTest, MessagesReachOnlyThePartnerAndJoinersGetTheLastOnes) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kPair).ok());
  for (int i = 0; i < 5; ++i) room_.Message("a", a_, PairMessage{.text = std::to_string(i)});
  EXPECT_EQ(room_.history_size(), 3u);
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kPair).ok());
  auto to_b = fx_.To(b_);
  ASSERT_EQ(to_b.size(), 1u);
  EXPECT_EQ(Type(to_b[0]), "history");
  EXPECT_NE(to_b[0].find("\"text\":\"2\""), std::string::npos);
  EXPECT_EQ(to_b[0].find("\"text\":\"1\""), std::string::npos);
  room_.Message("b", b_, PairMessage{.text = "hi", .image_url = "https://x/y.png"});
  auto to_a = fx_.To(a_);
  ASSERT_EQ(Type(to_a.back()), "message");
  EXPECT_NE(to_a.back().find("\"from\":\"b\""), std::string::npos);
  EXPECT_NE(to_a.back().find("\"imageUrl\":\"https://x/y.png\""), std::string::npos);
  EXPECT_EQ(fx_.To(b_).size(), 1u) << "no echo to the sender";
}

TEST_F(PairRoomTest, AThirdPersonIsRefused) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kPair).ok());
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kPair).ok());
  Status st = room_.Join("eve", Endpoint{0, 9}, SocketKind::kPair);
  EXPECT_EQ(st.code(), ErrorCode::kNotMatched);
  room_.Message("eve", Endpoint{0, 9}, PairMessage{.text = "spy"});
  EXPECT_EQ(room_.history_size(), 0u);
}

TEST_F(PairRoomTest, EndTellsBothAndEndsTheChat) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kSearch).ok());
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kSearch).ok());
  room_.End("a", a_);
  EXPECT_TRUE(room_.ended());
  ASSERT_FALSE(fx_.To(a_).empty());
  EXPECT_EQ(Type(fx_.To(a_).back()), "chat_ended");
  EXPECT_EQ(Type(fx_.To(b_).back()), "partner_disconnected");
  EXPECT_TRUE(fx_.sent.back().ends);
  room_.Message("b", b_, PairMessage{.text = "late"});
  EXPECT_EQ(Type(fx_.To(a_).back()), "chat_ended");
}

TEST_F(PairRoomTest, ClosedSocketGivesThePartnerPartnerDisconnected) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kSearch).ok());
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kPair).ok());
  room_.Leave("a", a_);
  EXPECT_EQ(Type(fx_.To(b_).back()), "partner_disconnected");
  EXPECT_TRUE(room_.ended());
}

TEST_F(PairRoomTest, DroppedChatSocketKeepsTheChatForItsReturn) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kPair).ok());
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kPair).ok());
  room_.Leave("a", a_);
  EXPECT_FALSE(room_.ended());
  EXPECT_EQ(Type(fx_.To(b_).back()), "partner_left");
  EXPECT_FALSE(fx_.sent.back().ends);
  room_.Message("b", b_, PairMessage{.text = "still there?"});
  const Endpoint a2{1, 5};
  ASSERT_TRUE(room_.Join("a", a2, SocketKind::kPair).ok());
  ASSERT_FALSE(fx_.To(a2).empty());
  EXPECT_EQ(Type(fx_.To(a2).front()), "history");
  EXPECT_NE(fx_.To(a2).front().find("still there?"), std::string::npos);
  EXPECT_EQ(Type(fx_.To(b_).back()), "partner_joined");
}

TEST_F(PairRoomTest, PartnerGoneBeforeJoiningEndsTheChatForTheLateJoiner) {
  room_.Leave("a", Endpoint{});
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kPair).ok());
  ASSERT_EQ(fx_.To(b_).size(), 1u);
  EXPECT_EQ(Type(fx_.To(b_)[0]), "partner_disconnected");
}

TEST_F(PairRoomTest, RejoiningMovesTheUserAndClosesTheOldSocket) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kPair).ok());
  const Endpoint a2{1, 5};
  ASSERT_TRUE(room_.Join("a", a2, SocketKind::kPair).ok());
  ASSERT_EQ(fx_.closed.size(), 1u);
  EXPECT_EQ(fx_.closed[0].to, a_);
  EXPECT_EQ(fx_.closed[0].reason, "replaced");
  room_.Message("a", a_, PairMessage{.text = "old socket"});
  EXPECT_EQ(room_.history_size(), 0u);
}

TEST_F(PairRoomTest, IdleCloseClosesEverySocketWithAReason) {
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kPair).ok());
  ASSERT_TRUE(room_.Join("b", b_, SocketKind::kSearch).ok());
  room_.Message("a", a_, PairMessage{.text = "x"});
  room_.CloseIdle();
  ASSERT_EQ(fx_.closed.size(), 2u);
  EXPECT_EQ(fx_.closed[0].code, 1000);
  EXPECT_EQ(fx_.closed[0].reason, "idle");
  EXPECT_EQ(room_.history_size(), 0u);
}

TEST_F(PairRoomTest, ActivityMovesTheIdleClock) {
  const int64_t t0 = room_.last_activity_ms();
  ASSERT_TRUE(room_.Join("a", a_, SocketKind::kPair).ok());
  clock_.Advance(1000);
  room_.Message("a", a_, PairMessage{.text = "x"});
  EXPECT_EQ(room_.last_activity_ms(), t0 + 1000);
}

}  // namespace
}  // namespace parley::match
