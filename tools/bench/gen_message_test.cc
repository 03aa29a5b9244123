#include "gen_message.h"

#include <gtest/gtest.h>

namespace parley::bench {
namespace {

TEST(GenMessageTest, FormatPadsToSizeAndParsesBack) {
  std::string text;
  FormatGenMessage({123456789012345, 42, 7}, 128, &text);
  EXPECT_EQ(text.size(), 128u);
  EXPECT_TRUE(text.starts_with("B123456789012345:42:7:"));
  auto m = ParseGenMessage(text);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->send_ns, 123456789012345u);
  EXPECT_EQ(m->sender, 42u);
  EXPECT_EQ(m->seq, 7u);
}

TEST(GenMessageTest, ShortSizeKeepsTheFields) {
  std::string text;
  FormatGenMessage({99, 1, 2}, 4, &text);
  EXPECT_EQ(text, "B99:1:2:");
}

TEST(GenMessageTest, RejectsOtherText) {
  EXPECT_FALSE(ParseGenMessage("hello").has_value());
  EXPECT_FALSE(ParseGenMessage("B12:3").has_value());
  EXPECT_FALSE(ParseGenMessage("Bx:1:2:").has_value());
  EXPECT_FALSE(ParseGenMessage("").has_value());
}

TEST(GenMessageTest, ParsesSeed004ChatFrame) {
  auto m = ParseChatFrame(R"({"type":"chat","room":"r","id":"a1","seq":3,"username":"u1",)"
                          R"("message":"B1000:5:9:abc","timestamp":1700000000000})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->send_ns, 1000u);
  EXPECT_EQ(m->sender, 5u);
  EXPECT_EQ(m->seq, 9u);
}

TEST(GenMessageTest, FieldsInAnotherOrder) {
  auto m =
      ParseChatFrame(R"({"message":"B77:1:2:pad","timestamp":1,"username":"x","type":"chat"})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->send_ns, 77u);
  EXPECT_EQ(m->seq, 2u);
}

TEST(GenMessageTest, SocketIoEvent) {
  auto m = ParseChatFrame(R"(42["chat",{"username":"u","message":"B5:6:7:zz"}])");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->sender, 6u);
}

TEST(GenMessageTest, EscapedQuotesInPadding) {
  const std::string json =
      R"({"type":"chat","message":"B10:2:3:pad\"with\\\"quotes\\","username":"u"})";
  auto field = FindMessageField(json);
  ASSERT_TRUE(field.has_value());
  EXPECT_EQ(*field, R"(B10:2:3:pad\"with\\\"quotes\\)");
  auto m = ParseGenMessage(*field);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->seq, 3u);
}

TEST(GenMessageTest, MissingOrUnterminatedField) {
  EXPECT_FALSE(FindMessageField(R"({"type":"presence","users":[]})").has_value());
  EXPECT_FALSE(FindMessageField(R"({"message":"B1:2:3:abc)").has_value());
  EXPECT_FALSE(FindMessageField(R"({"message":"B1:2:3:abc\")").has_value());
}

TEST(GenMessageTest, AckCarriesTheHeaderAsItsClientId) {
  // durable sends the message header alone as the clientId; the ack echoes only that.
  std::string id;
  FormatGenMessage({123456789, 42, 7}, 0, &id);
  EXPECT_EQ(id, "B123456789:42:7:");
  const std::string ack =
      R"({"type":"ack","room":"r","clientId":")" + id + R"(","id":"x","seq":3})";
  auto field = FindStringField(ack, "\"clientId\":\"");
  ASSERT_TRUE(field.has_value());
  auto m = ParseGenMessage(*field);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->send_ns, 123456789u);
  EXPECT_EQ(m->sender, 42u);
  EXPECT_EQ(m->seq, 7u);
  EXPECT_FALSE(FindStringField(ack, "\"partnerId\":\"").has_value());
}

}  // namespace
}  // namespace parley::bench
