// Seed 004 over HTTP: the JSON API, validation errors, static files, HTTP/1.1 behaviour.
#include "integration.h"

namespace parley::integration {
namespace {

using testing::HttpClient;

TEST_F(ParleyTest, UsersListsTheRoom) {
  Join("alice", "lobby");
  Join("bob", "lobby");
  Join("carol", "elsewhere");
  auto doc = GetJson("/api/users?room=lobby");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->Str("room"), "lobby");
  EXPECT_EQ(Sorted(doc->StrList("users")), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(doc->Int("userCount"), 2);

  auto empty = GetJson("/api/users?room=nobody-here");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->StrList("users").empty());
  EXPECT_EQ(empty->Int("userCount"), 0);
}

// Seqs of the messages in a history page, in the order returned.
std::vector<int64_t> Seqs(const JsonDoc& page) {
  std::vector<int64_t> out;
  for (const std::string& item : page.Items()) {
    auto m = JsonDoc::Parse(item);
    EXPECT_FALSE(m->Has("type")) << "history entries carry no type: " << item;
    out.push_back(m->Int("seq"));
  }
  return out;
}

std::vector<int64_t> Range(int64_t first, int64_t last) {
  std::vector<int64_t> out;
  for (int64_t s = first; s <= last; ++s) out.push_back(s);
  return out;
}

TEST_F(ParleyTest, HistoryPagesOldestFirst) {
  WsClient& alice = Join("alice", "busy");
  int64_t first_seq = JsonDoc::Parse(SendAndEcho(alice, "message 1"))->Int("seq");
  for (int i = 2; i <= 120; ++i) SendAndEcho(alice, "message " + std::to_string(i));
  int64_t last = first_seq + 119;

  auto page = GetJson("/api/history?room=busy");
  ASSERT_TRUE(page && page->IsArray());
  EXPECT_EQ(Seqs(*page), Range(last - 99, last)) << "default: the newest 100, oldest first";
  auto newest = JsonDoc::Parse(page->Items().back());
  EXPECT_EQ(newest->Str("message"), "message 120");
  EXPECT_EQ(newest->Str("username"), "alice");
  EXPECT_EQ(newest->Str("room"), "busy");
  EXPECT_FALSE(newest->Str("id").empty());
  EXPECT_GT(newest->Int("timestamp"), 0);

  EXPECT_EQ(Seqs(*GetJson("/api/history?room=busy&limit=10")), Range(last - 9, last));
  EXPECT_EQ(
      Seqs(*GetJson("/api/history?room=busy&limit=5&before=" + std::to_string(first_seq + 49))),
      Range(first_seq + 44, first_seq + 48));
  EXPECT_EQ(Seqs(*GetJson("/api/history?room=busy&limit=500")).size(), 100u) << "max 100";
  EXPECT_EQ(Seqs(*GetJson("/api/history?room=busy&before=" + std::to_string(first_seq + 3))),
            Range(first_seq, first_seq + 2));
  EXPECT_TRUE(Seqs(*GetJson("/api/history?room=empty-room")).empty());
}

TEST_F(ParleyTest, HealthReportsCounts) {
  Join("alice", "one");
  Join("bob", "two");
  auto doc = GetJson("/api/health");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->Str("status"), "ok");
  EXPECT_EQ(doc->Str("version"), "0.1.0");
  EXPECT_GE(doc->Int("uptimeSeconds"), 0);
  EXPECT_GE(doc->Int("connections"), 2);
  EXPECT_GE(doc->Int("rooms"), 2);
}

void ExpectErrorJson(const HttpResponse& r, int status, std::string_view code) {
  EXPECT_EQ(r.status, status) << r.error << " " << r.body;
  EXPECT_NE(r.Header("Content-Type").find("application/json"), std::string::npos);
  auto doc = JsonDoc::Parse(r.body);
  ASSERT_TRUE(doc) << r.body;
  EXPECT_EQ(doc->Str("error"), code) << r.body;
  EXPECT_FALSE(doc->Str("message").empty()) << r.body;
}

TEST_F(ParleyTest, InvalidUsernameOrRoomIs400) {
  struct Case {
    std::string query;
    const char* code;
  } cases[] = {
      {"username=", "invalid_username"},
      {"room=general", "invalid_username"},
      {"username=" + std::string(33, 'u'), "invalid_username"},
      {"username=bad%01name", "invalid_username"},
      {"username=bad%0Aname", "invalid_username"},
      {"username=alice&room=", "invalid_room"},
      {"username=alice&room=" + std::string(65, 'r'), "invalid_room"},
      {"username=alice&room=bad%20room", "invalid_room"},
      {"username=alice&room=bad!room", "invalid_room"},
  };
  for (const Case& c : cases) {
    WsClient ws;
    EXPECT_FALSE(ws.Connect(port(), "/ws?" + c.query)) << c.query << " was accepted";
    SCOPED_TRACE(c.query);
    ExpectErrorJson(ws.response(), 400, c.code);
  }
}

TEST_F(ParleyTest, NameLimitsCountCharactersAndAllowTheRoomAlphabet) {
  std::string name;
  for (int i = 0; i < 32; ++i) name += "%C3%A9";  // 32 x U+00E9: 64 bytes, 32 characters
  std::string snapshot;
  Join(name, "Room_1.a-" + std::string(55, 'z'), nullptr, &snapshot);
  auto s = JsonDoc::Parse(snapshot);
  ASSERT_TRUE(s) << snapshot;
  std::string decoded;
  for (int i = 0; i < 32; ++i) decoded += "\xc3\xa9";
  EXPECT_EQ(s->StrList("users"), (std::vector<std::string>{decoded}));
  WsClient ws;
  EXPECT_TRUE(ws.Connect(port(), "/ws?username=dflt")) << ws.error();
  std::string history = NextText(ws);
  EXPECT_EQ(JsonDoc::Parse(history)->Str("room"), "general") << "room defaults to general";
}

TEST_F(ParleyTest, UnknownRouteIs404Json) {
  ExpectErrorJson(HttpGet(port(), "/no/such/page"), 404, "not_found");
  ExpectErrorJson(HttpGet(port(), "/api/nothing"), 404, "not_found");
}

TEST_F(ParleyTest, MalformedRequestIs400AndClosed) {
  for (std::string bad :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/1.1\r\nno colon here\r\n\r\n"),
        std::string("GET / HTTP/9.9\r\nHost: x\r\n\r\n")}) {
    HttpClient http(port());
    ASSERT_TRUE(http.SendRaw(bad));
    HttpResponse r = http.ReadResponse();
    EXPECT_EQ(r.status, 400) << bad << " -> " << r.error << " " << r.body;
    EXPECT_TRUE(http.WaitClosed(AfterSeconds(10))) << "connection left open after: " << bad;
  }
}

TEST_F(ParleyTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  HttpClient http(port());
  ASSERT_TRUE(http.Connect());
  HttpResponse first = http.Get("/api/health");
  EXPECT_EQ(first.status, 200) << first.error;
  ASSERT_FALSE(http.conn().peer_closed()) << "server closed a keep-alive connection";
  HttpResponse second = http.Get("/api/users?room=general");
  EXPECT_EQ(second.status, 200) << second.error;
  EXPECT_FALSE(http.conn().peer_closed());
  // Pipelined: two requests in one write, answered in order.
  ASSERT_TRUE(http.SendRaw(
      "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(http.ReadResponse().status, 200);
  EXPECT_EQ(http.ReadResponse().status, 404);
}

class RequestTimeoutTest : public ParleyTest {
 protected:
  std::vector<std::string> ExtraArgs() const override { return {"--request-timeout-s", "1"}; }
};

TEST_F(RequestTimeoutTest, HalfARequestIsDropped) {
  HttpClient http(port());
  ASSERT_TRUE(http.SendRaw("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  EXPECT_TRUE(http.WaitClosed(AfterSeconds(15))) << "a stalled request was never dropped";
  // The server itself is fine.
  HttpResponse health = HttpGet(port(), "/api/health");
  EXPECT_EQ(health.status, 200) << health.error;
}

TEST_F(ParleyTest, StaticFilesHaveContentTypes) {
  struct File {
    const char* path;
    const char* type;
  } files[] = {{"/", "text/html"},
               {"/chat.html?room=general", "text/html"},
               {"/style.css", "text/css"},
               {"/app.js", "javascript"},
               {"/chat.js", "javascript"}};
  std::string ui;
  for (const File& f : files) {
    // As a browser asks: GET / without text/html is the health JSON (seed 003).
    HttpResponse r = HttpGet(port(), f.path, {{"Accept", "text/html,*/*;q=0.8"}});
    EXPECT_EQ(r.status, 200) << f.path << ": " << r.error;
    EXPECT_NE(r.Header("Content-Type").find(f.type), std::string::npos)
        << f.path << " Content-Type: " << r.Header("Content-Type");
    EXPECT_FALSE(r.body.empty()) << f.path;
    ui += r.body;
  }
  EXPECT_NE(ui.find("parley.username"), std::string::npos)
      << "the UI keeps the username under localStorage key parley.username";
}

}  // namespace
}  // namespace parley::integration
