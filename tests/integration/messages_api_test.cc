// Seed 002's REST message API against the real binary over real sockets: a POST reaches a
// room's sockets live and GET /api/messages lists it; a retried POST stores one message; a
// PUT toggles a reaction the sockets see; every refusal has its exact code and stores
// nothing; a JWT's user is the author whatever the body says.
#include <chrono>

#include "auth/jwt_test_util.h"
#include "integration.h"

namespace parley::integration {
namespace {

using testing::Headers;

constexpr std::string_view kSecret = "an-hs256-secret-of-at-least-32-bytes";

// One request with a body on a fresh connection.
HttpResponse Send(uint16_t port, std::string_view method, std::string_view target,
                  std::string_view body, const Headers& headers = {}) {
  testing::HttpClient http(port);
  std::string req = std::string(method) + " " + std::string(target) +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  req += body;
  EXPECT_TRUE(http.SendRaw(req));
  return http.ReadResponse();
}

std::string Code(const HttpResponse& r) {
  auto doc = JsonDoc::Parse(r.body);
  return doc ? doc->Str("error") : "not json: " + r.body;
}

class MessagesApiTest : public ParleyTest {
 protected:
  HttpResponse Post(std::string_view body, const Headers& headers = {}) {
    return Send(port(), "POST", "/api/messages", body, headers);
  }
  HttpResponse React(std::string_view id, std::string_view body, const Headers& headers = {}) {
    return Send(port(), "PUT", "/api/messages/" + std::string(id) + "/react", body, headers);
  }
  // The messages GET /api/messages lists for `room`, each re-serialized.
  std::vector<std::string> Listed(std::string_view room, const Headers& headers = {}) {
    auto r = HttpGet(port(), "/api/messages?room=" + std::string(room), headers);
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = JsonDoc::Parse(r.body);
    return doc ? doc->Items("messages") : std::vector<std::string>{"not json"};
  }
  // A native socket that joined `room`: subscribed once `joined` has arrived.
  WsClient& Member(std::string_view username, std::string_view room) {
    members_.push_back(std::make_unique<WsClient>());
    WsClient& c = *members_.back();
    EXPECT_TRUE(c.Connect(port(), "/v1/ws?username=" + std::string(username))) << c.error();
    EXPECT_TRUE(c.SendText(R"({"type":"join","room":")" + std::string(room) + R"("})"));
    EXPECT_TRUE(c.ReadUntilType("joined", AfterSeconds(10))) << c.error();
    return c;
  }
  std::vector<std::unique_ptr<WsClient>> members_;
};

TEST_F(MessagesApiTest, APostReachesTheRoomsSocketsLiveAndIsListed) {
  WsClient& bob = Member("bob", "r1");
  std::string history;
  WsClient& carl = Join("carl", "r1", &history);  // the seed 004 socket too

  HttpResponse r = Post(R"({"room":"r1","content":"hello over http","username":"ann"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto posted = JsonDoc::Parse(r.body);
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->Int("seq"), 1);
  EXPECT_FALSE(posted->Str("id").empty());
  EXPECT_GT(posted->Int("timestamp"), 0);
  EXPECT_EQ(posted->Str("username"), "ann");
  EXPECT_EQ(posted->Str("user_id"), "ann");
  EXPECT_EQ(posted->Str("room_id"), "r1");
  EXPECT_EQ(posted->Str("content"), "hello over http");
  EXPECT_EQ(posted->Int("created_at"), posted->Int("timestamp"));
  EXPECT_EQ(posted->Int("updated_at"), posted->Int("timestamp"));

  for (WsClient* c : {&bob, &carl}) {
    auto chat = c->ReadChat(AfterSeconds(10));
    ASSERT_TRUE(chat) << c->error();
    auto doc = JsonDoc::Parse(*chat);
    EXPECT_EQ(doc->Str("id"), posted->Str("id"));
    EXPECT_EQ(doc->Str("username"), "ann");
    EXPECT_EQ(doc->Str("message"), "hello over http");
  }
  auto listed = Listed("r1");
  ASSERT_EQ(listed.size(), 1u);
  auto first = JsonDoc::Parse(listed[0]);
  EXPECT_EQ(first->Str("id"), posted->Str("id"));
  EXPECT_EQ(first->Str("content"), "hello over http");
  EXPECT_EQ(first->Str("user_id"), "ann");
  // The same store as the seed 004 history.
  auto h = GetJson("/api/history?room=r1");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->Items().size(), 1u);
}

TEST_F(MessagesApiTest, PagesLikeHistory) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_EQ(
        Post(R"({"room":"p","text":"m)" + std::to_string(i) + R"(","username":"ann"})").status,
        201);
  }
  auto r = HttpGet(port(), "/api/messages?room=p&before=5&limit=2");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = JsonDoc::Parse(r.body);
  ASSERT_TRUE(doc);
  auto items = doc->Items("messages");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(JsonDoc::Parse(items[0])->Int("seq"), 3);
  EXPECT_EQ(JsonDoc::Parse(items[1])->Int("seq"), 4);
  EXPECT_TRUE(doc->root()["hasMore"].get_bool().value());
  EXPECT_EQ(Code(HttpGet(port(), "/api/messages?room=p&limit=x")), "bad_request");
}

TEST_F(MessagesApiTest, ARetriedPostWithTheSameKeyStoresOneMessage) {
  WsClient& bob = Member("bob", "r2");
  const std::string body = R"({"room":"r2","content":"once","username":"ann"})";
  HttpResponse a = Post(body, {{"Idempotency-Key", "key-1"}});
  HttpResponse b = Post(body, {{"Idempotency-Key", "key-1"}});
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(JsonDoc::Parse(a.body)->Str("id"), JsonDoc::Parse(b.body)->Str("id"));
  EXPECT_EQ(JsonDoc::Parse(b.body)->Str("clientId"), "key-1");
  EXPECT_FALSE(a.HasHeader("Idempotent-Replayed"));
  EXPECT_EQ(b.Header("Idempotent-Replayed"), "true");
  // The body's clientId is the same key.
  HttpResponse c = Post(R"({"room":"r2","content":"once","username":"ann","clientId":"key-1"})");
  EXPECT_EQ(JsonDoc::Parse(c.body)->Str("id"), JsonDoc::Parse(a.body)->Str("id"));
  EXPECT_EQ(Listed("r2").size(), 1u);
  // The socket saw one message, then the next one.
  ASSERT_EQ(Post(R"({"room":"r2","content":"second","username":"ann"})").status, 201);
  auto first = bob.ReadChat(AfterSeconds(10));
  auto second = bob.ReadChat(AfterSeconds(10));
  ASSERT_TRUE(first && second) << bob.error();
  EXPECT_EQ(JsonDoc::Parse(*first)->Str("message"), "once");
  EXPECT_EQ(JsonDoc::Parse(*second)->Str("message"), "second");
}

TEST_F(MessagesApiTest, AReactionTogglesAndTheSocketsSeeIt) {
  WsClient& bob = Member("bob", "r3");
  HttpResponse posted = Post(R"({"room":"r3","content":"react to me","username":"ann"})");
  ASSERT_EQ(posted.status, 201);
  const std::string id = JsonDoc::Parse(posted.body)->Str("id");
  ASSERT_TRUE(bob.ReadChat(AfterSeconds(10)));

  HttpResponse on = React(id, R"({"room":"r3","emoji":"👍","username":"carl"})");
  ASSERT_EQ(on.status, 200) << on.body;
  auto doc = JsonDoc::Parse(on.body);
  EXPECT_TRUE(doc->root()["added"].get_bool().value());
  auto reactions = doc->Items("reactions");
  ASSERT_EQ(reactions.size(), 1u);
  EXPECT_EQ(JsonDoc::Parse(reactions[0])->Str("emoji"), "👍");
  EXPECT_EQ(JsonDoc::Parse(reactions[0])->StrList("users"), std::vector<std::string>{"carl"});
  auto live = bob.ReadUntilType("reaction", AfterSeconds(10));
  ASSERT_TRUE(live) << bob.error();
  EXPECT_EQ(JsonDoc::Parse(*live)->Str("username"), "carl");
  EXPECT_TRUE(JsonDoc::Parse(*live)->root()["added"].get_bool().value());

  HttpResponse off = React(id, R"({"room":"r3","emoji":"👍","username":"carl"})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(JsonDoc::Parse(off.body)->root()["added"].get_bool().value());
  EXPECT_TRUE(JsonDoc::Parse(off.body)->Items("reactions").empty());
  live = bob.ReadUntilType("reaction", AfterSeconds(10));
  ASSERT_TRUE(live) << bob.error();
  EXPECT_FALSE(JsonDoc::Parse(*live)->root()["added"].get_bool().value());
}

TEST_F(MessagesApiTest, RefusalsHaveExactCodesAndStoreNothing) {
  EXPECT_EQ(Code(Post("{not json")), "bad_request");
  EXPECT_EQ(Code(Post(R"({"content":"x","username":"ann"})")), "invalid_field");
  EXPECT_EQ(Code(Post(R"({"room":"r4","username":"ann"})")), "invalid_field");
  EXPECT_EQ(Code(Post(R"({"room":"r4","content":"  ","username":"ann"})")), "empty_message");
  HttpResponse big =
      Post(R"({"room":"r4","content":")" + std::string(5000, 'x') + R"(","username":"ann"})");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(Code(big), "message_too_large");
  EXPECT_EQ(Code(Post(R"({"room":"no room!","content":"x","username":"ann"})")), "invalid_room");
  // Anonymous callers name themselves, by the socket's ?username= rules.
  HttpResponse nameless = Post(R"({"room":"r4","content":"x"})");
  EXPECT_EQ(nameless.status, 400);
  EXPECT_EQ(Code(nameless), "invalid_username");
  EXPECT_EQ(Code(Post(R"({"room":"r4","content":"x","username":"a\u0001b"})")), "invalid_username");
  // The assistant's name is parley's: an anonymous post cannot take it.
  EXPECT_EQ(Code(Post(R"({"room":"r4","content":"x","username":"Ai"})")), "invalid_username");
  HttpResponse wrong = Send(port(), "DELETE", "/api/messages", "");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(Code(wrong), "method_not_allowed");
  EXPECT_EQ(Send(port(), "GET", "/api/messages/abc/react", "").status, 405);
  EXPECT_EQ(Code(Send(port(), "PUT", "/api/messages/abc/other", "{}")), "not_found");
  EXPECT_EQ(Listed("r4").size(), 0u);

  ASSERT_EQ(Post(R"({"room":"r4","content":"real","username":"ann"})").status, 201);
  HttpResponse unknown = React("00000000deadbeef", R"({"room":"r4","emoji":"👍","username":"b"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Code(unknown), "not_found");
  const std::string id = JsonDoc::Parse(Listed("r4")[0])->Str("id");
  // A message is found only in its own room.
  EXPECT_EQ(Code(React(id, R"({"room":"elsewhere","emoji":"👍","username":"b"})")), "not_found");
  EXPECT_EQ(Code(React(id, R"({"room":"r4","emoji":"a b","username":"b"})")), "invalid_field");
  EXPECT_EQ(Code(React(id, R"({"room":"r4","emoji":"x"})")), "invalid_username");
  auto listed = Listed("r4");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(JsonDoc::Parse(listed[0])->Has("reactions"));
}

TEST_F(MessagesApiTest, CorsLikeTheOtherApiRoutes) {
  HttpResponse pre = Send(port(), "OPTIONS", "/api/messages/abc/react", "",
                          {{"Origin", "http://localhost:5173"},
                           {"Access-Control-Request-Method", "PUT"},
                           {"Access-Control-Request-Headers", "idempotency-key"}});
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.Header("Access-Control-Allow-Origin"), "http://localhost:5173");
  EXPECT_NE(pre.Header("Access-Control-Allow-Methods").find("PUT"), std::string::npos);
  EXPECT_NE(pre.Header("Access-Control-Allow-Headers").find("Idempotency-Key"), std::string::npos);
  EXPECT_NE(pre.Header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  HttpResponse ok = Post(R"({"room":"r8","content":"x","username":"ann"})",
                         {{"Origin", "http://localhost:5173"}});
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Origin"), "http://localhost:5173");
  HttpResponse foreign =
      Post(R"({"room":"r8","content":"y","username":"ann"})", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(Code(foreign), "origin_not_allowed");
  EXPECT_EQ(Listed("r8").size(), 1u);
}

class MessagesRateTest : public MessagesApiTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--rate-enabled",    "1",   "--rate-message-per-s", "1", "--rate-message-burst", "2",
            "--rate-http-burst", "100", "--exempt-loopback",    "0"};
  }
};

TEST_F(MessagesRateTest, PostsShareTheMessageBucketAndGet429WithRetryAfter) {
  int created = 0;
  HttpResponse last;
  for (int i = 0; i < 6; ++i) {
    last = Post(R"({"room":"r5","content":"flood","username":"ann"})");
    if (last.status == 201) ++created;
    if (last.status == 429) break;
  }
  EXPECT_EQ(last.status, 429) << last.body;
  EXPECT_EQ(Code(last), "rate_limited");
  EXPECT_GE(std::stoi(last.Header("Retry-After").empty() ? "0" : last.Header("Retry-After")), 1);
  EXPECT_GE(created, 2) << "the burst passes";
  EXPECT_EQ(Listed("r5").size(), static_cast<size_t>(created));
}

class MessagesTokenTest : public MessagesApiTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--jwt-hs256-secret", std::string(kSecret), "--private-rooms", "staff=alice"};
  }
  static std::string Token(std::string_view sub) {
    const int64_t exp = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() +
                        600;
    return "Bearer " +
           auth::testing_util::SignHs256(kSecret, R"({"sub":")" + std::string(sub) +
                                                      R"(","name":"D )" + std::string(sub) +
                                                      R"(","exp":)" + std::to_string(exp) + "}");
  }
};

TEST_F(MessagesTokenTest, TheTokensUserIsTheAuthorWhateverUsernameSays) {
  WsClient& bob = Member("bob", "r6");
  HttpResponse r = Post(R"({"room":"r6","content":"signed","username":"mallory"})",
                        {{"Authorization", Token("alice")}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("username"), "alice");
  auto chat = bob.ReadChat(AfterSeconds(10));
  ASSERT_TRUE(chat) << bob.error();
  EXPECT_EQ(JsonDoc::Parse(*chat)->Str("username"), "alice");
  const std::string id = JsonDoc::Parse(r.body)->Str("id");
  HttpResponse re = React(id, R"({"room":"r6","emoji":"🎉","username":"mallory"})",
                          {{"Authorization", Token("alice")}});
  ASSERT_EQ(re.status, 200) << re.body;
  EXPECT_EQ(JsonDoc::Parse(re.body)->Str("username"), "alice");
}

TEST_F(MessagesTokenTest, BadTokensAndOthersPrivateRoomsAreRefused) {
  EXPECT_EQ(Code(Post(R"({"room":"r7","content":"x","username":"ann"})",
                      {{"Authorization", "Bearer a.b.c"}})),
            "token_invalid");
  HttpResponse bob = Post(R"({"room":"staff","content":"let me in","username":"alice"})",
                          {{"Authorization", Token("bob")}});
  EXPECT_EQ(bob.status, 403);
  EXPECT_EQ(Code(bob), "private_room");
  // A chosen name is not a sign-in.
  EXPECT_EQ(Code(Post(R"({"room":"staff","content":"x","username":"alice"})")), "private_room");
  EXPECT_EQ(Code(HttpGet(port(), "/api/messages?room=staff")), "private_room");
  EXPECT_EQ(Listed("staff", {{"Authorization", Token("alice")}}).size(), 0u);
  EXPECT_EQ(Listed("r7").size(), 0u);
  ASSERT_EQ(
      Post(R"({"room":"staff","content":"members only"})", {{"Authorization", Token("alice")}})
          .status,
      201);
  EXPECT_EQ(Listed("staff", {{"Authorization", Token("alice")}}).size(), 1u);
}

}  // namespace
}  // namespace parley::integration
