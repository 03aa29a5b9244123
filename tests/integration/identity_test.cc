// Identity over real sockets against the real binary: API keys (settings and
// `parley keys create`), JWTs (HS256, RS256; expired, forged, alg none), a token's user
// overriding ?username=, and private rooms. Every refusal is checked by its exact code, and
// by the room's history staying empty.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/base64url.h"
#include "auth/jwt_test_util.h"
#include "integration.h"

namespace parley::integration {
namespace {

using auth::testing_util::RsaKey;
using auth::testing_util::SignHs256;
using testing::Headers;

constexpr std::string_view kSecret = "an-hs256-secret-of-at-least-32-bytes";

int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Claims(std::string_view sub, int64_t exp, std::string_view extra = "") {
  return R"({"sub":")" + std::string(sub) + R"(","name":"Display )" + std::string(sub) +
         R"(","exp":)" + std::to_string(exp) + std::string(extra) + "}";
}

class IdentityTest : public ParleyTest {
 protected:
  // Tries an upgrade that must be refused; returns the error code of the JSON body.
  std::string Refused(std::string_view target, const Headers& headers, int status) {
    WsClient c;
    EXPECT_FALSE(c.Connect(port(), target, headers)) << target;
    EXPECT_EQ(c.response().status, status) << target << " " << c.response().body;
    auto body = JsonDoc::Parse(c.response().body);
    return body ? body->Str("error") : "not json: " + c.response().body;
  }
  // The messages stored in `room`, read with `headers`.
  size_t Stored(std::string_view room, const Headers& headers = {}) {
    auto r = testing::HttpGet(port(), "/api/history?room=" + std::string(room), headers);
    EXPECT_EQ(r.status, 200) << r.body;
    auto h = JsonDoc::Parse(r.body);
    return h ? h->Items().size() : 999;
  }
  WsClient& Open(std::string_view target, const Headers& headers = {}) {
    clients_.push_back(std::make_unique<WsClient>());
    WsClient& c = *clients_.back();
    EXPECT_TRUE(c.Connect(port(), target, headers))
        << target << ": " << c.error() << " " << c.response().body;
    return c;
  }
  std::vector<std::unique_ptr<WsClient>> clients_;
};

// --- API keys, required --------------------------------------------------------------

class RequiredKeyTest : public IdentityTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--web-api-key", "web-secret", "--require-api-key", "yes"};
  }
};

TEST_F(RequiredKeyTest, AMissingKeyIsRefusedAndNothingIsStored) {
  EXPECT_EQ(Refused("/ws?username=ann&room=r1", {}, 401), "api_key_required");
  EXPECT_EQ(Refused("/v1/ws?username=ann", {}, 401), "api_key_required");
  EXPECT_EQ(Stored("r1"), 0u);
}

TEST_F(RequiredKeyTest, AWrongKeyIsRefused) {
  EXPECT_EQ(Refused("/ws?username=ann&room=r1&apiKey=web-secreT", {}, 401), "invalid_api_key");
  EXPECT_EQ(Refused("/ws?username=ann&room=r1", {{"Authorization", "Bearer nope"}}, 401),
            "invalid_api_key");
  EXPECT_EQ(Stored("r1"), 0u);
}

TEST_F(RequiredKeyTest, TheKeyAsBearerOrQueryParameterLetsTheClientIn) {
  WsClient& a = Open("/ws?username=ann&room=r1", {{"Authorization", "Bearer web-secret"}});
  NextText(a);  // history
  NextText(a);  // presence
  auto echo = JsonDoc::Parse(SendAndEcho(a, "hello"));
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->Str("username"), "ann");
  Open("/v1/ws?username=bob&apiKey=web-secret");
  EXPECT_EQ(Stored("r1"), 1u);
}

TEST_F(RequiredKeyTest, TheSeedSocketMaySendItsKeyAsAMessageOrOnTheUpgrade) {
  WsClient& late = Open("/ws");
  ASSERT_TRUE(late.SendText(R"({"type":"auth","apiKey":"wrong"})"));
  EXPECT_TRUE(late.ReadUntilType("auth_error", AfterSeconds(10))) << late.error();
  ASSERT_TRUE(late.SendText(R"({"type":"auth","apiKey":"web-secret"})"));
  EXPECT_TRUE(late.ReadUntilType("auth_success", AfterSeconds(10))) << late.error();

  WsClient& early = Open("/ws?apiKey=web-secret");
  ASSERT_TRUE(early.SendText(R"({"type":"ping"})"));
  EXPECT_TRUE(early.ReadUntilType("pong", AfterSeconds(10))) << early.error();
  EXPECT_EQ(Refused("/ws?apiKey=wrong", {}, 401), "invalid_api_key");
}

// --- keys created with `parley keys create` ----------------------------------------------

// Runs `parley keys create NAME --data-dir DIR` and returns what it printed on stdout.
std::string CreateKey(const std::string& data_dir, std::string_view app) {
  const std::string cmd = std::string(PARLEY_BIN) + " keys create " + std::string(app) +
                          " --data-dir " + data_dir + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return "";
  char buf[256];
  std::string out;
  while (std::fgets(buf, sizeof(buf), p) != nullptr) out += buf;
  EXPECT_EQ(::pclose(p), 0) << cmd;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.rfind('\n') + 1);  // the key is the last line
}

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class CreatedKeyTest : public IdentityTest {
 protected:
  void SetUp() override {}  // the key is created before the server starts
  std::vector<std::string> ExtraArgs() const override { return {"--require-api-key", "yes"}; }
};

TEST_F(CreatedKeyTest, ACreatedKeyWorksAndOnlyItsDigestIsStored) {
  const std::string key = CreateKey(server_.data_dir(), "tv");
  ASSERT_EQ(key.size(), 46u) << key;
  ASSERT_TRUE(server_.Start(ExtraArgs()));
  Open("/v1/ws?username=ann", {{"Authorization", "Bearer " + key}});
  EXPECT_EQ(Refused("/v1/ws?username=ann&apiKey=" + key.substr(0, 45) + "x", {}, 401),
            "invalid_api_key");
  ASSERT_TRUE(server_.Stop());
  for (const auto& entry : std::filesystem::directory_iterator(server_.data_dir())) {
    EXPECT_EQ(FileBytes(entry.path()).find(key), std::string::npos) << entry.path();
  }
}

// --- JWTs --------------------------------------------------------------------------------

class TokenTest : public IdentityTest {
 protected:
  void SetUp() override {
    pem_path_ = server_.data_dir() + "-rs256.pem";
    std::ofstream(pem_path_) << key_.PublicPem();
    IdentityTest::SetUp();
  }
  void TearDown() override { std::filesystem::remove(pem_path_); }
  std::vector<std::string> ExtraArgs() const override {
    return {"--jwt-hs256-secret", std::string(kSecret), "--jwt-rs256-public-key-file", pem_path_,
            "--private-rooms",    "staff=alice|carol"};
  }
  RsaKey key_;
  std::string pem_path_;
};

TEST_F(TokenTest, TheTokensUserIsTheAuthorWhateverUsernameSays) {
  const std::string t = SignHs256(kSecret, Claims("alice", NowS() + 600));
  WsClient& a = Open("/ws?username=mallory&room=r2&token=" + t);
  NextText(a);
  NextText(a);
  auto echo = JsonDoc::Parse(SendAndEcho(a, "signed"));
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->Str("username"), "alice");
  auto history = GetJson("/api/history?room=r2");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->Items().size(), 1u);
  EXPECT_EQ(JsonDoc::Parse(history->Items()[0])->Str("username"), "alice");
}

TEST_F(TokenTest, Rs256AsBearer) {
  const std::string t = key_.Sign(Claims("carol", NowS() + 600));
  WsClient& c = Open("/ws?room=r3", {{"Authorization", "Bearer " + t}});
  NextText(c);
  NextText(c);
  EXPECT_EQ(JsonDoc::Parse(SendAndEcho(c, "hi"))->Str("username"), "carol");
}

TEST_F(TokenTest, AnExpiredTokenIsRefused) {
  const std::string t = SignHs256(kSecret, Claims("alice", NowS() - 3600));
  EXPECT_EQ(Refused("/ws?room=r4&token=" + t, {}, 401), "token_expired");
  EXPECT_EQ(Refused("/v1/ws", {{"Authorization", "Bearer " + t}}, 401), "token_expired");
  EXPECT_EQ(Stored("r4"), 0u);
}

TEST_F(TokenTest, ForgedTokensAreRefused) {
  const std::string claims = Claims("alice", NowS() + 600);
  const std::string wrong_secret = SignHs256("another-secret-of-at-least-32-bytes!", claims);
  const std::string wrong_key = RsaKey().Sign(claims);
  const std::string none =
      auth::Base64UrlEncode(R"({"alg":"none"})") + "." + auth::Base64UrlEncode(claims) + ".";
  const std::string none_sig = none + auth::Base64UrlEncode("x");
  for (const std::string& t : {wrong_secret, wrong_key, none, none_sig}) {
    EXPECT_EQ(Refused("/ws?room=r5&username=alice&token=" + t, {}, 401), "token_invalid") << t;
  }
  EXPECT_EQ(Refused("/ws?room=r5", {{"Authorization", "Bearer a.b.c"}}, 401), "token_invalid");
  EXPECT_EQ(Stored("r5"), 0u);
}

TEST_F(TokenTest, AnotherUsersPrivateRoomIsRefused) {
  const std::string bob = SignHs256(kSecret, Claims("bob", NowS() + 600));
  EXPECT_EQ(Refused("/ws?room=staff&token=" + bob, {}, 403), "private_room");
  // A chosen name is not a sign-in.
  EXPECT_EQ(Refused("/ws?room=staff&username=alice", {}, 403), "private_room");

  WsClient& native = Open("/v1/ws?token=" + bob);
  ASSERT_TRUE(native.SendText(R"({"type":"join","room":"staff","ref":"j1"})"));
  auto err = native.ReadUntilType("error", AfterSeconds(10));
  ASSERT_TRUE(err) << native.error();
  EXPECT_EQ(JsonDoc::Parse(*err)->Str("code"), "private_room");
  ASSERT_TRUE(native.SendText(R"({"type":"message","room":"staff","text":"x","clientId":"c1"})"));
  err = native.ReadUntilType("error", AfterSeconds(10));
  ASSERT_TRUE(err) << native.error();
  EXPECT_EQ(JsonDoc::Parse(*err)->Str("code"), "not_joined");
  const std::string alice = SignHs256(kSecret, Claims("alice", NowS() + 600));
  const Headers as_alice = {{"Authorization", "Bearer " + alice}};
  EXPECT_EQ(Stored("staff", as_alice), 0u);

  WsClient& member = Open("/ws?room=staff&token=" + alice);
  NextText(member);
  NextText(member);
  SendAndEcho(member, "members only");
  EXPECT_EQ(Stored("staff", as_alice), 1u);
  // Its history is private too.
  auto anyone = testing::HttpGet(port(), "/api/history?room=staff");
  EXPECT_EQ(anyone.status, 403);
  EXPECT_EQ(JsonDoc::Parse(anyone.body)->Str("error"), "private_room");
  auto as_bob =
      testing::HttpGet(port(), "/api/history?room=staff", {{"Authorization", "Bearer " + bob}});
  EXPECT_EQ(as_bob.status, 403);
}

TEST_F(TokenTest, ATokensRoomsClaimGrantsAndLimits) {
  const std::string dave =
      SignHs256(kSecret, Claims("dave", NowS() + 600, R"(,"rooms":["staff"])"));
  WsClient& in = Open("/ws?room=staff&token=" + dave);
  NextText(in);
  NextText(in);
  EXPECT_EQ(Refused("/ws?room=general&token=" + dave, {}, 403), "private_room");
}

}  // namespace
}  // namespace parley::integration
