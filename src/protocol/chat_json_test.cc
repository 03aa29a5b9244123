#include "protocol/chat_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace parley {
namespace {

StoredMessage Sample() {
  StoredMessage m;
  m.room = "general";
  m.seq = 7;
  m.id = "0001";
  m.username = "alice";
  m.text = "<img src=x onerror=alert(1)>";
  m.timestamp_ms = 1700000000123;
  return m;
}

TEST(ChatJsonTest, ChatFrameHasSeedFieldsAndParleyFields) {
  simdjson::dom::parser p;
  auto doc = p.parse(EncodeChat(Sample()));
  EXPECT_EQ(std::string_view(doc["type"]), "chat");
  EXPECT_EQ(std::string_view(doc["username"]), "alice");
  EXPECT_EQ(std::string_view(doc["message"]), "<img src=x onerror=alert(1)>");
  EXPECT_EQ(int64_t(doc["timestamp"]), 1700000000123);
  EXPECT_EQ(std::string_view(doc["room"]), "general");
  EXPECT_EQ(int64_t(doc["seq"]), 7);
  EXPECT_EQ(std::string_view(doc["id"]), "0001");
}

TEST(ChatJsonTest, HistoryFrameListsMessagesOldestFirstWithoutType) {
  std::vector<StoredMessage> ms = {Sample(), Sample()};
  ms[1].seq = 8;
  simdjson::dom::parser p;
  auto doc = p.parse(EncodeHistoryFrame("general", ms));
  EXPECT_EQ(std::string_view(doc["type"]), "history");
  simdjson::dom::array arr = doc["messages"];
  ASSERT_EQ(arr.size(), 2u);
  EXPECT_EQ(int64_t(arr.at(0)["seq"]), 7);
  EXPECT_EQ(int64_t(arr.at(1)["seq"]), 8);
  EXPECT_TRUE(arr.at(0)["type"].error()) << "history entries carry no type";
}

TEST(ChatJsonTest, PresenceShapes) {
  std::vector<std::string> users = {"alice", "bob"};
  simdjson::dom::parser p;
  auto snap = p.parse(EncodePresenceSnapshot("r", users, 3));
  EXPECT_EQ(std::string_view(snap["event"]), "snapshot");
  EXPECT_EQ(simdjson::dom::array(snap["users"]).size(), 2u);
  EXPECT_EQ(int64_t(snap["userCount"]), 3);
  simdjson::dom::parser p2;
  auto ev = p2.parse(EncodePresenceEvent("user_left", "r", "bob", 1));
  EXPECT_EQ(std::string_view(ev["type"]), "presence");
  EXPECT_EQ(std::string_view(ev["event"]), "user_left");
  EXPECT_EQ(std::string_view(ev["username"]), "bob");
  EXPECT_EQ(int64_t(ev["userCount"]), 1);
}

TEST(ChatJsonTest, ErrorShapes) {
  simdjson::dom::parser p;
  auto f = p.parse(EncodeErrorFrame("message_too_large", "Too long."));
  EXPECT_EQ(std::string_view(f["type"]), "error");
  EXPECT_EQ(std::string_view(f["code"]), "message_too_large");
  simdjson::dom::parser p2;
  auto b = p2.parse(EncodeErrorBody("not_found", "No such route."));
  EXPECT_EQ(std::string_view(b["error"]), "not_found");
  EXPECT_EQ(std::string_view(b["message"]), "No such route.");
}

}  // namespace
}  // namespace parley
