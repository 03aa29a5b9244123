// The random 1:1 chat against the real binary over real sockets: seed 000 (POST
// /api/match, then the pair room on /chat), seed 001 (the JSON socket on /ws), both flows
// matched with each other, tickets, API keys and bad input.
#include <gtest/gtest.h>

#include <string>

#include "integration.h"

namespace parley::integration {
namespace {

using testing::CloseResult;
using testing::HttpClient;

class MatchTest : public ParleyTest {
 protected:
  // POST /api/match with `body`; the response.
  HttpResponse PostMatch(std::string_view body) {
    HttpClient http(port());
    EXPECT_TRUE(http.Connect());
    std::string req =
        "POST /api/match HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + std::string(body);
    EXPECT_TRUE(http.SendRaw(req));
    return http.ReadResponse();
  }

  JsonDoc Match(std::string_view user, std::string_view extra = "") {
    const std::string body = R"({"userId":")" + std::string(user) + R"(","userName":"Name )" +
                             std::string(user) + R"(","deviceId":"dev-)" + std::string(user) +
                             "\"" + std::string(extra) + "}";
    HttpResponse r = PostMatch(body);
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = JsonDoc::Parse(r.body);
    EXPECT_TRUE(doc) << r.body;
    return std::move(*doc);
  }

  // Connects to the path and query of a wsUrl ("ws://host:port/chat?...").
  WsClient& Open(std::string_view target) {
    auto path = target.find("/chat");
    if (path != std::string_view::npos) target = target.substr(path);
    clients_.push_back(std::make_unique<WsClient>());
    WsClient& c = *clients_.back();
    EXPECT_TRUE(c.Connect(port(), target)) << target << ": " << c.error();
    return c;
  }

  // A /ws search socket, authenticated with `key` when given.
  WsClient& Searcher(std::string_view key = "") {
    WsClient& c = Open("/ws");
    if (!key.empty()) {
      c.SendText(R"({"type":"auth","apiKey":")" + std::string(key) + "\"}");
      EXPECT_EQ(testing::JsonType(NextText(c)), "auth_success");
    }
    return c;
  }

  static JsonDoc Next(WsClient& c) {
    std::string text = NextText(c);
    auto doc = JsonDoc::Parse(text);
    EXPECT_TRUE(doc) << "not JSON: '" << text << "'";
    return doc ? std::move(*doc) : *JsonDoc::Parse("{}");
  }

  std::vector<std::unique_ptr<WsClient>> clients_;
};

TEST_F(MatchTest, HttpUsersAreMatchedAndChatInTheirPairRoom) {
  JsonDoc a = Match("alice", R"(,"emotion":"😊")");
  EXPECT_FALSE(a.root()["matched"].get_bool().value());
  EXPECT_EQ(a.Str("message"), "Waiting for partner...");
  EXPECT_EQ(a.Str("queueKey"), "queue:emotion:😊");
  EXPECT_EQ(Match("carol", R"(,"emotion":"😢")").Str("queueKey"), "queue:emotion:😢");

  JsonDoc b = Match("bob", R"(,"emotion":"😊")");
  ASSERT_TRUE(b.root()["matched"].get_bool().value()) << b.Str("message");
  EXPECT_EQ(b.Str("sessionId"), "chat:alice:bob");
  EXPECT_EQ(b.Str("partnerId"), "alice");
  EXPECT_EQ(b.Str("partnerName"), "Name alice");
  EXPECT_EQ(b.Str("wsUrl").rfind("ws://127.0.0.1:" + std::to_string(port()) + "/chat?", 0), 0u);

  JsonDoc a2 = Match("alice", R"(,"emotion":"😊")");
  ASSERT_TRUE(a2.root()["matched"].get_bool().value());
  EXPECT_EQ(a2.Str("sessionId"), "chat:alice:bob");
  EXPECT_EQ(a2.Str("partnerId"), "bob");

  WsClient& ws_a = Open(a2.Str("wsUrl"));
  EXPECT_EQ(Next(ws_a).Str("type"), "history");
  WsClient& ws_b = Open(b.Str("wsUrl"));
  EXPECT_EQ(Next(ws_b).Str("type"), "history");
  EXPECT_EQ(Next(ws_a).Str("type"), "partner_joined");

  ws_a.SendText(R"({"type":"message","text":"hi bob"})");
  JsonDoc got = Next(ws_b);
  EXPECT_EQ(got.Str("type"), "message");
  EXPECT_EQ(got.Str("text"), "hi bob");
  EXPECT_EQ(got.Str("from"), "alice");
  ws_b.SendText(R"({"type":"message","imageUrl":"https://img.example/cat.png"})");
  JsonDoc img = Next(ws_a);
  EXPECT_EQ(img.Str("imageUrl"), "https://img.example/cat.png");
  EXPECT_EQ(img.Str("from"), "bob");

  // Bob again, on a new socket: the old one is replaced, the new one gets the history.
  WsClient& ws_b2 = Open(b.Str("wsUrl"));
  JsonDoc history = Next(ws_b2);
  EXPECT_EQ(history.Str("type"), "history");
  EXPECT_EQ(history.Items("messages").size(), 2u);
  EXPECT_EQ(ws_b.WaitClosed(AfterSeconds(10)).reason, "replaced");
  EXPECT_EQ(Next(ws_a).Str("type"), "partner_joined");

  // Bob's connection drops: the chat waits for him, and he finds what he missed.
  ws_b2.SendClose(1001, "going away");
  JsonDoc left = Next(ws_a);
  EXPECT_EQ(left.Str("type"), "partner_left");
  EXPECT_EQ(left.Str("userId"), "bob");
  ws_a.SendText(R"({"type":"message","text":"are you back?"})");
  ws_a.SendText(R"({"type":"ping"})");
  // The pong proves the message was passed on to the room before Bob comes back.
  EXPECT_EQ(Next(ws_a).Str("type"), "pong");
  WsClient& ws_b3 = Open(b.Str("wsUrl"));
  JsonDoc missed = Next(ws_b3);
  EXPECT_EQ(missed.Str("type"), "history");
  ASSERT_EQ(missed.Items("messages").size(), 3u);
  EXPECT_NE(missed.Items("messages").back().find("are you back?"), std::string::npos);
  EXPECT_EQ(Next(ws_a).Str("type"), "partner_joined");

  ws_a.SendText(R"({"type":"end_chat"})");
  EXPECT_EQ(Next(ws_a).Str("type"), "chat_ended");
  EXPECT_EQ(Next(ws_b3).Str("type"), "partner_disconnected");
  CloseResult closed = ws_b3.WaitClosed(AfterSeconds(10));
  EXPECT_EQ(closed.code, 1000) << closed.Describe();
  EXPECT_EQ(closed.reason, "chat_ended");
}

TEST_F(MatchTest, ASessionIdAloneLetsNoThirdPersonIn) {
  Match("alice");
  JsonDoc b = Match("bob");
  const std::string url = b.Str("wsUrl");
  const std::string ticket = url.substr(url.find("ticket=") + 7);
  const std::string base = "/chat?sessionId=chat%3Aalice%3Abob&userName=Eve";
  for (std::string target : {base + "&userId=eve", base + "&userId=eve&ticket=" + ticket,
                             base + "&userId=alice&ticket=" + ticket,
                             base + "&userId=bob&ticket=" + ticket.substr(1) + "0"}) {
    WsClient c;
    EXPECT_FALSE(c.Connect(port(), target)) << target;
    EXPECT_EQ(c.response().status, 403) << target;
    auto doc = JsonDoc::Parse(c.response().body);
    ASSERT_TRUE(doc) << c.response().body;
    EXPECT_EQ(doc->Str("error"), "not_matched");
  }
  WsClient& ok = Open(url);
  EXPECT_EQ(Next(ok).Str("type"), "history");
}

TEST_F(MatchTest, SocketUsersSearchChatEndAndSearchAgain) {
  WsClient& a = Searcher();
  WsClient& b = Searcher();
  a.SendText(R"({"type":"auth","apiKey":"anything"})");
  EXPECT_EQ(Next(a).Str("type"), "auth_success") << "no keys configured: every key works";
  a.SendText(R"({"type":"ping"})");
  EXPECT_EQ(Next(a).Str("type"), "pong");
  a.SendText(R"({"type":"message","text":"too early"})");
  EXPECT_EQ(Next(a).Str("code"), "not_matched");

  a.SendText(R"({"type":"search"})");
  EXPECT_EQ(Next(a).Str("type"), "searching");
  b.SendText(R"({"type":"search"})");
  EXPECT_EQ(Next(b).Str("type"), "searching");
  JsonDoc mb = Next(b);
  JsonDoc ma = Next(a);
  ASSERT_EQ(ma.Str("type"), "matched");
  ASSERT_EQ(mb.Str("type"), "matched");
  EXPECT_NE(ma.Str("partnerId"), mb.Str("partnerId"));

  a.SendText(R"({"type":"message","text":"hello"})");
  JsonDoc m = Next(b);
  EXPECT_EQ(m.Str("type"), "message");
  EXPECT_EQ(m.Str("text"), "hello");
  EXPECT_EQ(m.Str("from"), mb.Str("partnerId"));

  b.SendText(R"({"type":"end_chat"})");
  EXPECT_EQ(Next(b).Str("type"), "chat_ended");
  EXPECT_EQ(Next(a).Str("type"), "partner_disconnected");
  a.SendText(R"({"type":"message","text":"anyone?"})");
  EXPECT_EQ(Next(a).Str("code"), "not_matched");

  // Both search again; this time a's socket closing ends the chat.
  a.SendText(R"({"type":"search"})");
  EXPECT_EQ(Next(a).Str("type"), "searching");
  b.SendText(R"({"type":"search"})");
  EXPECT_EQ(Next(b).Str("type"), "searching");
  EXPECT_EQ(Next(b).Str("type"), "matched");
  EXPECT_EQ(Next(a).Str("type"), "matched");
  a.SendClose(1000);
  EXPECT_EQ(Next(b).Str("type"), "partner_disconnected");
}

TEST_F(MatchTest, HttpAndSocketUsersAreMatchedWithEachOther) {
  WsClient& s = Searcher();
  s.SendText(R"({"type":"search","mode":"text"})");
  EXPECT_EQ(Next(s).Str("type"), "searching");
  JsonDoc h = Match("web", R"(,"mode":"text")");
  ASSERT_TRUE(h.root()["matched"].get_bool().value()) << h.Str("message");
  JsonDoc ms = Next(s);
  EXPECT_EQ(ms.Str("type"), "matched");
  EXPECT_EQ(ms.Str("partnerId"), "web");
  EXPECT_EQ(h.Str("partnerId").rfind("u-", 0), 0u);

  WsClient& w = Open(h.Str("wsUrl"));
  EXPECT_EQ(Next(w).Str("type"), "history");
  s.SendText(R"({"type":"message","text":"from the socket"})");
  EXPECT_EQ(Next(w).Str("text"), "from the socket");
  w.SendText(R"({"type":"message","text":"from the web"})");
  JsonDoc back = Next(s);
  EXPECT_EQ(back.Str("text"), "from the web");
  EXPECT_EQ(back.Str("from"), "web");
}

TEST_F(MatchTest, BadInputGetsClearCodesAndNothingLeaks) {
  auto code = [this](std::string_view body) {
    HttpResponse r = PostMatch(body);
    auto doc = JsonDoc::Parse(r.body);
    return std::to_string(r.status) + " " + (doc ? doc->Str("error") : r.body);
  };
  EXPECT_EQ(code(R"({"userName":"x"})"), "400 invalid_field");
  EXPECT_EQ(code(R"({"userId":"x"})"), "400 invalid_field");
  EXPECT_EQ(code(R"({"userId":"x","userName":")" + std::string(65, 'n') + "\"}"),
            "400 invalid_field");
  EXPECT_EQ(code(R"({"userId":"x","userName":"y","mode":"telepathy"})"), "400 unknown_filter");
  EXPECT_EQ(code("{not json"), "400 bad_request");
  EXPECT_EQ(HttpGet(port(), "/api/match").status, 405);

  WsClient& s = Searcher();
  s.SendText("not json");
  EXPECT_EQ(Next(s).Str("code"), "bad_request");
  s.SendText(R"({"type":"dance"})");
  EXPECT_EQ(Next(s).Str("code"), "unknown_type") << "the same code as the native protocol";
  s.SendText(R"({"type":"end_chat"})");
  EXPECT_EQ(Next(s).Str("code"), "not_matched");
  s.SendText(R"({"type":"message"})");
  EXPECT_EQ(Next(s).Str("code"), "invalid_field");
  s.SendText(R"({"type":"ping"})");
  EXPECT_EQ(Next(s).Str("type"), "pong") << "the socket survives every error";
  // The seed 004 chat on /ws?username= is untouched.
  WsClient& chat = Join("zoe");
  (void)chat;
}

class MatchAuthTest : public MatchTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--web-api-key",          "web-secret", "--mobile-api-key", "mobile-secret",
            "--match-auth-timeout-s", "1"};
  }
};

TEST_F(MatchAuthTest, NothingButAuthBeforeAuthAndEitherKeyWorks) {
  WsClient& c = Open("/ws");
  c.SendText(R"({"type":"search"})");
  EXPECT_EQ(Next(c).Str("code"), "not_authenticated");
  c.SendText(R"({"type":"auth","apiKey":"wrong"})");
  JsonDoc err = Next(c);
  EXPECT_EQ(err.Str("type"), "auth_error");
  EXPECT_FALSE(err.Str("error").empty());
  c.SendText(R"({"type":"auth","apiKey":"mobile-secret"})");
  EXPECT_EQ(Next(c).Str("type"), "auth_success");
  c.SendText(R"({"type":"ping"})");
  EXPECT_EQ(Next(c).Str("type"), "pong");
  WsClient& web = Searcher("web-secret");
  web.SendText(R"({"type":"ping"})");
  EXPECT_EQ(Next(web).Str("type"), "pong");
}

TEST_F(MatchAuthTest, SocketThatDoesNotAuthenticateIsClosed) {
  WsClient& c = Open("/ws");
  CloseResult r = c.WaitClosed(AfterSeconds(20));
  EXPECT_TRUE(r.got_close_frame) << r.Describe();
  EXPECT_EQ(r.code, 1008);
  EXPECT_EQ(r.reason, "auth_timeout");
}

class MatchIdleTest : public MatchTest {
 protected:
  std::vector<std::string> ExtraArgs() const override { return {"--match-pair-idle-s", "1"}; }
};

TEST_F(MatchIdleTest, IdlePairRoomIsRemovedAndItsSocketsClosedWithAReason) {
  Match("alice");
  JsonDoc b = Match("bob");
  WsClient& ws_b = Open(b.Str("wsUrl"));
  EXPECT_EQ(Next(ws_b).Str("type"), "history");
  CloseResult closed = ws_b.WaitClosed(AfterSeconds(20));
  EXPECT_EQ(closed.code, 1000) << closed.Describe();
  EXPECT_EQ(closed.reason, "idle");
  // The room is gone: the partner arriving now is told the chat cannot happen.
  JsonDoc a = Match("alice");
  WsClient& ws_a = Open(a.Str("wsUrl"));
  EXPECT_EQ(Next(ws_a).Str("type"), "partner_disconnected");
}

}  // namespace
}  // namespace parley::integration
