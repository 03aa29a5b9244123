// Seed 003 against the real binary over real sockets: its JSON socket on /ws (join-room,
// send-message) sharing rooms with the other protocols, the visitor analytics endpoints and
// socket messages, their limits and timeout, totals across a restart, and GET / negotiated
// on Accept.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "integration.h"

namespace parley::integration {
namespace {

using testing::HttpClient;

class Seed003Test : public ParleyTest {
 protected:
  HttpResponse Post(std::string_view path, std::string_view body) {
    HttpClient http(port());
    EXPECT_TRUE(http.Connect());
    EXPECT_TRUE(http.SendRaw("POST " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                             "Content-Type: application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + std::string(body)));
    return http.ReadResponse();
  }

  JsonDoc PostJson(std::string_view path, std::string_view body, int expected_status = 200) {
    HttpResponse r = Post(path, body);
    EXPECT_EQ(r.status, expected_status) << path << " " << body << ": " << r.body;
    auto doc = JsonDoc::Parse(r.body);
    EXPECT_TRUE(doc) << r.body;
    return doc ? std::move(*doc) : *JsonDoc::Parse("{}");
  }

  JsonDoc AddVisitor(std::string_view domain, std::string_view visitor, std::string_view data = "",
                     int expected_status = 200) {
    std::string body = R"({"domainId":")" + std::string(domain) + R"(","visitorId":")" +
                       std::string(visitor) + "\"";
    if (!data.empty()) body += R"(,"visitorData":)" + std::string(data);
    return PostJson("/visitors/add", body + "}", expected_status);
  }

  JsonDoc Stats(std::string_view domain) {
    return *GetJson("/stats/domain/" + std::string(domain));
  }

  // The stats once `done` holds for them, asked again every 50 ms for up to 20 s: visitors
  // leave on a server timer or a closed socket, which no client event announces.
  JsonDoc StatsWhen(std::string_view domain, const std::function<bool(const JsonDoc&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      JsonDoc s = Stats(domain);
      if (done(s) || std::chrono::steady_clock::now() > deadline) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  WsClient& Open(std::string_view target = "/ws") {
    clients_.push_back(std::make_unique<WsClient>());
    WsClient& c = *clients_.back();
    EXPECT_TRUE(c.Connect(port(), target)) << target << ": " << c.error();
    return c;
  }

  static JsonDoc Next(WsClient& c) {
    std::string text = NextText(c);
    auto doc = JsonDoc::Parse(text);
    EXPECT_TRUE(doc) << "not JSON: '" << text << "'";
    return doc ? std::move(*doc) : *JsonDoc::Parse("{}");
  }

  // Reads up to the next frame of `type`, skipping others.
  static JsonDoc NextOf(WsClient& c, std::string_view type) {
    std::optional<std::string> text = c.ReadUntilType(type, AfterSeconds(10));
    EXPECT_TRUE(text) << "no " << type << " frame: " << c.error();
    auto doc = JsonDoc::Parse(text.value_or("{}"));
    return doc ? std::move(*doc) : *JsonDoc::Parse("{}");
  }

  WsClient& JoinRoom(std::string_view room, std::string_view user_id, std::string_view name) {
    WsClient& c = Open();
    c.SendText(R"({"type":"join-room","roomId":")" + std::string(room) + R"(","userId":")" +
               std::string(user_id) + R"(","userName":")" + std::string(name) + "\"}");
    JsonDoc joined = Next(c);
    EXPECT_EQ(joined.Str("type"), "joined-room");
    EXPECT_EQ(joined.Str("roomId"), room);
    EXPECT_TRUE(joined.root()["success"].get_bool().value());
    return c;
  }

  std::vector<std::unique_ptr<WsClient>> clients_;
};

TEST_F(Seed003Test, TwoSeed003ClientsAndASeed004ClientShareARoom) {
  WsClient& ann = JoinRoom("lobby", "u-1", "Ann");
  WsClient& ben = JoinRoom("lobby", "u-2", "Ben");
  JsonDoc joined = NextOf(ann, "user-joined");
  EXPECT_EQ(joined.Str("userId"), "u-2");
  EXPECT_EQ(joined.Str("userName"), "Ben");
  WsClient& carol = Join("carol", "lobby");
  EXPECT_EQ(NextOf(ann, "user-joined").Str("userName"), "carol");

  // The frame's userId and userName are not the author: the join is.
  ann.SendText(R"({"type":"send-message","roomId":"lobby","message":"hello",)"
               R"("userId":"forged","userName":"Mallory","role":"user"})");
  // Ann's copy is delivered before her acknowledgement, Ben's at the same time.
  for (WsClient* c : {&ann, &ben}) {
    JsonDoc m = NextOf(*c, "new-message");
    EXPECT_EQ(m.Str("message"), "hello");
    EXPECT_EQ(m.Str("userId"), "u-1");
    EXPECT_EQ(m.Str("userName"), "Ann");
    EXPECT_EQ(m.Str("roomId"), "lobby");
    EXPECT_EQ(m.Int("seq"), 1);
    EXPECT_EQ(m.Str("timestamp").size(), 24u) << "ISO 8601 with milliseconds";
  }
  JsonDoc sent = NextOf(ann, "message-sent");
  EXPECT_TRUE(sent.root()["success"].get_bool().value());
  EXPECT_EQ(sent.Int("seq"), 1);
  auto chat = JsonDoc::Parse(carol.ReadChat(AfterSeconds(10)).value_or("{}"));
  EXPECT_EQ(chat->Str("username"), "Ann");
  EXPECT_EQ(chat->Str("message"), "hello");
  EXPECT_EQ(chat->Int("seq"), 1);

  SendAndEcho(carol, "hi from carol");
  JsonDoc from_carol = NextOf(ben, "new-message");
  EXPECT_EQ(from_carol.Str("message"), "hi from carol");
  EXPECT_EQ(from_carol.Str("userId"), "carol");
  EXPECT_EQ(from_carol.Int("seq"), 2);

  auto history = GetJson("/api/history?room=lobby");
  ASSERT_EQ(history->Items().size(), 2u) << "stored and sequenced like every message";
  EXPECT_EQ(JsonDoc::Parse(history->Items()[0])->Str("username"), "Ann");
}

TEST_F(Seed003Test, RefusalsAndTheSeed001SocketOnTheSamePath) {
  WsClient& c = Open();
  c.SendText(R"({"type":"send-message","roomId":"lobby","message":"hi"})");
  JsonDoc not_joined = Next(c);
  EXPECT_EQ(not_joined.Str("type"), "error");
  EXPECT_EQ(not_joined.Str("code"), "not_joined");
  c.SendText(R"({"type":"ai-chat","message":"What is AI?","model":"gpt-3.5-turbo"})");
  EXPECT_EQ(Next(c).Str("code"), "ai_not_configured");
  c.SendText(R"({"type":"ai-stream","message":"Explain"})");
  EXPECT_EQ(Next(c).Str("code"), "ai_not_configured");
  c.SendText(R"({"type":"join-room","roomId":"bad room","userId":"u","userName":"n"})");
  EXPECT_EQ(Next(c).Str("code"), "invalid_room");
  c.SendText(R"({"type":"search"})");
  EXPECT_EQ(Next(c).Str("code"), "unknown_type") << "a seed 003 socket stays one";

  WsClient& seed001 = Open();
  seed001.SendText(R"({"type":"ping"})");
  EXPECT_EQ(Next(seed001).Str("type"), "pong");
}

TEST_F(Seed003Test, VisitorsAreAddedCountedListedAndRemoved) {
  JsonDoc a = AddVisitor("example.com", "v1", R"({"userAgent":"Firefox","page":"/pricing"})");
  EXPECT_TRUE(a.root()["success"].get_bool().value());
  auto visitor = JsonDoc::Parse(simdjson::to_string(a.root()["visitor"]));
  EXPECT_EQ(visitor->Str("id"), "v1");
  EXPECT_EQ(visitor->Str("domainId"), "example.com");
  EXPECT_EQ(visitor->Str("userAgent"), "Firefox");
  auto counts = JsonDoc::Parse(simdjson::to_string(a.root()["domainStats"]));
  EXPECT_EQ(counts->Int("activeVisitors"), 1);
  EXPECT_EQ(counts->Int("totalVisitors"), 1);

  JsonDoc again = AddVisitor("example.com", "v1");  // a heartbeat
  counts = JsonDoc::Parse(simdjson::to_string(again.root()["domainStats"]));
  EXPECT_EQ(counts->Int("totalVisitors"), 1) << "the same visitor is counted once";
  AddVisitor("example.com", "v2", R"({"page":"/pricing"})");
  AddVisitor("example.com", "v3", R"({"page":"/"})");

  JsonDoc s = Stats("example.com");
  EXPECT_EQ(s.Str("domainId"), "example.com");
  EXPECT_EQ(s.Int("activeVisitors"), 3);
  EXPECT_EQ(s.Int("totalVisitors"), 3);
  EXPECT_EQ(s.Int("uniqueVisitorsToday"), 3);
  std::vector<std::string> pages = s.Items("topPages");
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(JsonDoc::Parse(pages[0])->Str("page"), "/pricing");
  EXPECT_EQ(JsonDoc::Parse(pages[0])->Int("visitors"), 2);
  EXPECT_EQ(s.Items("visitors").size(), 3u);

  JsonDoc removed = PostJson("/visitors/remove", R"({"domainId":"example.com","visitorId":"v1"})");
  EXPECT_TRUE(removed.root()["success"].get_bool().value());
  counts = JsonDoc::Parse(simdjson::to_string(removed.root()["domainStats"]));
  EXPECT_EQ(counts->Int("activeVisitors"), 2);
  JsonDoc gone =
      PostJson("/visitors/remove", R"({"domainId":"example.com","visitorId":"v1"})", 404);
  EXPECT_EQ(gone.Str("error"), "not_found");
  s = Stats("example.com");
  EXPECT_EQ(s.Int("activeVisitors"), 2);
  EXPECT_EQ(s.Int("totalVisitors"), 3);

  JsonDoc unknown = Stats("nobody.example");
  EXPECT_EQ(unknown.Int("activeVisitors"), 0);
  EXPECT_EQ(unknown.Int("totalVisitors"), 0);
}

TEST_F(Seed003Test, VisitorTotalsSurviveARestart) {
  AddVisitor("example.com", "v1");
  AddVisitor("example.com", "v2");
  ASSERT_TRUE(server_.Stop(SIGTERM));
  ASSERT_TRUE(server_.Start());
  JsonDoc s = Stats("example.com");
  EXPECT_EQ(s.Int("totalVisitors"), 2);
  EXPECT_EQ(s.Int("activeVisitors"), 0) << "current visitors heart-beat again after a restart";
  JsonDoc back = AddVisitor("example.com", "v1");
  auto counts = JsonDoc::Parse(simdjson::to_string(back.root()["domainStats"]));
  EXPECT_EQ(counts->Int("totalVisitors"), 2) << "a returning visitor is not new";
  EXPECT_EQ(counts->Int("activeVisitors"), 1);
}

TEST_F(Seed003Test, AVisitorAnnouncedOverASocketLeavesWithIt) {
  WsClient& c = Open();
  c.SendText(R"({"type":"visitor-joined-domain","domainId":"shop.example","visitorId":"v9",)"
             R"("visitorData":{"userAgent":"UA"}})");
  JsonDoc joined = Next(c);
  EXPECT_EQ(joined.Str("type"), "visitor-joined-domain");
  EXPECT_EQ(joined.Int("activeCount"), 1);
  c.SendText(R"({"type":"get-domain-stats","domainId":"shop.example"})");
  JsonDoc stats = Next(c);
  EXPECT_EQ(stats.Str("type"), "domain-stats");
  EXPECT_EQ(stats.Int("activeVisitors"), 1);
  c.SendClose(1000);
  c.WaitClosed(AfterSeconds(10));
  JsonDoc s =
      StatsWhen("shop.example", [](const JsonDoc& d) { return d.Int("activeVisitors") == 0; });
  EXPECT_EQ(s.Int("activeVisitors"), 0);
  EXPECT_EQ(s.Int("totalVisitors"), 1);
}

TEST_F(Seed003Test, GetRootIsThePageForBrowsersAndHealthJsonForOthers) {
  HttpResponse page =
      HttpGet(port(), "/", {{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.Header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(page.Header("Vary"), "Accept");
  for (const testing::Headers& headers :
       {testing::Headers{{"Accept", "application/json"}}, testing::Headers{}}) {
    HttpResponse r = HttpGet(port(), "/", headers);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.Header("Content-Type").find("application/json"), std::string::npos);
    EXPECT_EQ(r.Header("Vary"), "Accept");
    auto health = JsonDoc::Parse(r.body);
    ASSERT_TRUE(health) << r.body;
    EXPECT_EQ(health->Str("status"), "ok");
    EXPECT_FALSE(health->Str("version").empty());
    EXPECT_FALSE(health->Str("timestamp").empty());
    EXPECT_FALSE(health->Str("message").empty());
  }
}

class Seed003LimitsTest : public Seed003Test {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--visitors-max-data-bytes", "32", "--visitors-max-domain-chars", "12",
            "--visitors-max-domains",    "1",  "--visitors-max-per-domain",   "1"};
  }
};

TEST_F(Seed003LimitsTest, LimitsAreRefusedWithTheirCodes) {
  JsonDoc big = AddVisitor("a.com", "v1", R"({"userAgent":"0123456789012345678901234567"})", 413);
  EXPECT_EQ(big.Str("error"), "visitor_data_too_large");
  EXPECT_EQ(AddVisitor("a-very-long.example", "v1", "", 400).Str("error"), "invalid_domain");
  EXPECT_EQ(AddVisitor("bad/domain", "v1", "", 400).Str("error"), "invalid_domain");
  EXPECT_EQ(PostJson("/visitors/add", "not json", 400).Str("error"), "bad_request");
  EXPECT_EQ(GetJson("/stats/domain/a%20b", 400)->Str("error"), "invalid_domain");
  AddVisitor("a.com", "v1");
  EXPECT_EQ(AddVisitor("a.com", "v2", "", 503).Str("error"), "visitor_limit");
  EXPECT_EQ(AddVisitor("b.com", "v1", "", 503).Str("error"), "domain_limit");
  AddVisitor("a.com", "v1");  // a heartbeat of a current visitor is still accepted
}

class Seed003TimeoutTest : public Seed003Test {
 protected:
  std::vector<std::string> ExtraArgs() const override { return {"--visitors-timeout-s", "1"}; }
};

TEST_F(Seed003TimeoutTest, AVisitorThatStopsHeartBeatingIsRemoved) {
  AddVisitor("example.com", "v1");
  JsonDoc s =
      StatsWhen("example.com", [](const JsonDoc& d) { return d.Int("activeVisitors") == 0; });
  EXPECT_EQ(s.Int("activeVisitors"), 0);
  EXPECT_EQ(s.Int("totalVisitors"), 1);
  EXPECT_EQ(s.Int("uniqueVisitorsToday"), 1);
}

// Domains per IP address: two here, loopback not exempt so the test client counts.
class Seed003IpDomainsTest : public Seed003Test {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--visitors-max-domains-per-ip", "2", "--exempt-loopback", "0"};
  }
};

TEST_F(Seed003IpDomainsTest, OneAddressMayAddVisitorsToALimitedNumberOfDomains) {
  AddVisitor("a.com", "v1");
  AddVisitor("b.com", "v1");
  JsonDoc refused = AddVisitor("c.com", "v1", "", 429);
  EXPECT_EQ(refused.Str("error"), "ip_domain_limit");
  EXPECT_NE(refused.Str("message").find("2 domains"), std::string::npos) << refused.Str("message");
  AddVisitor("a.com", "v2");  // a domain already counted keeps working
  EXPECT_EQ(Stats("c.com").Int("totalVisitors"), 0) << "nothing was recorded";
  // The socket gets the same refusal as an error frame and stays.
  WsClient& ws = Open();
  ASSERT_TRUE(ws.SendText(
      R"({"type":"visitor-joined-domain","domainId":"d.com","visitorId":"v9","visitorData":{}})"));
  JsonDoc frame = Next(ws);
  EXPECT_EQ(frame.Str("type"), "error");
  EXPECT_EQ(frame.Str("code"), "ip_domain_limit");
  ASSERT_TRUE(ws.SendText(
      R"({"type":"visitor-joined-domain","domainId":"b.com","visitorId":"v9","visitorData":{}})"));
  EXPECT_EQ(Next(ws).Str("type"), "visitor-joined-domain");
}

}  // namespace
}  // namespace parley::integration
