#include "integration.h"

#include <algorithm>

namespace parley::integration {

WsClient& ParleyTest::Connect(std::string_view username, std::string_view room) {
  clients_.push_back(std::make_unique<WsClient>());
  WsClient& c = *clients_.back();
  std::string target = "/ws?username=" + std::string(username) + "&room=" + std::string(room);
  EXPECT_TRUE(c.Connect(port(), target)) << target << ": " << c.error();
  return c;
}

WsClient& ParleyTest::Join(std::string_view username, std::string_view room, std::string* history,
                           std::string* snapshot) {
  WsClient& c = Connect(username, room);
  std::string h = NextText(c);
  EXPECT_EQ(testing::JsonType(h), "history") << "first frame after the upgrade: " << h;
  std::string s = NextText(c);
  EXPECT_EQ(testing::JsonType(s), "presence") << "second frame after the upgrade: " << s;
  if (history != nullptr) *history = h;
  if (snapshot != nullptr) *snapshot = s;
  return c;
}

std::string ParleyTest::NextText(WsClient& c) {
  for (;;) {
    std::optional<testing::WsFrame> m = c.ReadMessage(AfterSeconds(10));
    if (!m) return "";
    if (m->opcode == testing::op::kPing) {
      c.SendPong(m->payload);
      continue;
    }
    if (m->opcode == testing::op::kText) return m->payload;
    if (m->opcode == testing::op::kClose) return "";
  }
}

std::string ParleyTest::SendAndEcho(WsClient& c, std::string_view text) {
  EXPECT_TRUE(c.SendText(text));
  for (;;) {
    std::optional<std::string> chat = c.ReadChat(AfterSeconds(10));
    if (!chat) {
      ADD_FAILURE() << "no chat frame for \"" << text << "\": " << c.error();
      return "";
    }
    auto doc = JsonDoc::Parse(*chat);
    if (doc && doc->Str("message") == text) return *chat;
  }
}

std::optional<JsonDoc> ParleyTest::GetJson(std::string_view target, int expected_status) {
  HttpResponse r = HttpGet(port(), target);
  EXPECT_EQ(r.status, expected_status) << target << ": " << r.error << " " << r.body;
  EXPECT_NE(r.Header("Content-Type").find("application/json"), std::string::npos)
      << target << " Content-Type: " << r.Header("Content-Type");
  std::optional<JsonDoc> doc = JsonDoc::Parse(r.body);
  EXPECT_TRUE(doc) << target << " body is not JSON: " << r.body;
  return doc;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace parley::integration
