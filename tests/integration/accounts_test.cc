// Built-in accounts over real sockets against the real binary: register, login, me,
// profile, logout; a duplicate username; one code for a wrong password and an unknown
// user; logged-out and expired sessions refused by their exact codes; the session cookie
// making the account the author of a chat message; login rate limits; and no password in
// clear in the database or the log.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "integration.h"

namespace parley::integration {
namespace {

namespace fs = std::filesystem;
using testing::Headers;

constexpr std::string_view kPassword = "correct-horse-battery-staple";

class AccountsTest : public ParleyTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    // The cheapest argon2id cost keeps ASan runs quick; the code path is the same.
    std::vector<std::string> args = {"--accounts",         "true", "--password-ops-limit", "1",
                                     "--password-mem-kib", "64",   "--log-level",          "info"};
    for (const auto& a : MoreArgs()) args.push_back(a);
    return args;
  }
  virtual std::vector<std::string> MoreArgs() const { return {}; }

  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body,
                       const Headers& headers = {}) {
    testing::HttpClient http(port());
    std::string head = std::string(method) + " " + std::string(target) +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    for (const auto& [k, v] : headers) head += k + ": " + v + "\r\n";
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    EXPECT_TRUE(http.SendRaw(head + std::string(body)));
    return http.ReadResponse();
  }

  static std::string Code(const HttpResponse& r) {
    auto doc = JsonDoc::Parse(r.body);
    return doc ? doc->Str("error") : "(not JSON: " + r.body + ")";
  }

  static std::string Credentials(std::string_view user, std::string_view password,
                                 std::string_view extra = "") {
    return R"({"username":")" + std::string(user) + R"(","password":")" + std::string(password) +
           "\"" + std::string(extra) + "}";
  }

  // Registers `user` and returns the session token from the body.
  std::string Register(std::string_view user, std::string_view extra = "") {
    HttpResponse r = Request("POST", "/api/auth/register", Credentials(user, kPassword, extra));
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = JsonDoc::Parse(r.body);
    return doc ? doc->Str("token") : "";
  }

  static Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  static Headers Cookie(const std::string& token) {
    return {{"Cookie", "theme=dark; parley_session=" + token}};
  }

  // The "user" object of a /api/auth answer.
  static std::optional<JsonDoc> User(const HttpResponse& r) {
    auto doc = JsonDoc::Parse(r.body);
    if (!doc) return std::nullopt;
    simdjson::dom::element user;
    if (doc->root()["user"].get(user) != simdjson::SUCCESS) return std::nullopt;
    return JsonDoc::Parse(simdjson::to_string(user));
  }

  // Every byte parley keeps on disk for its database (main file, WAL, shared memory).
  std::string DatabaseBytes() const {
    std::string all;
    for (const auto& e : fs::directory_iterator(server_.data_dir())) {
      if (!e.is_regular_file() || e.path().filename().string().find(".db") == std::string::npos) {
        continue;
      }
      std::ifstream in(e.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }
};

TEST_F(AccountsTest, RegisterThenMeThenLoginThenLogout) {
  HttpResponse reg = Request("POST", "/api/auth/register",
                             Credentials("ann", kPassword, R"(,"displayName":"Ann A.")"));
  ASSERT_EQ(reg.status, 200) << reg.body;
  auto body = JsonDoc::Parse(reg.body);
  const std::string token = body->Str("token");
  EXPECT_TRUE(token.starts_with("ps_")) << token;
  EXPECT_GT(body->Int("expiresAt"), 0);
  EXPECT_EQ(User(reg)->Str("username"), "ann");
  EXPECT_EQ(User(reg)->Str("displayName"), "Ann A.");
  // The cookie carries the same token, out of reach of page scripts.
  const std::string cookie = reg.Header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("parley_session=" + token + "; Path=/; Max-Age=2592000"))
      << cookie;
  EXPECT_NE(cookie.find("; HttpOnly; SameSite=Lax"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;  // plain http here

  // Either form of the session says who this is.
  HttpResponse me = Request("GET", "/api/auth/me", "", Cookie(token));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(User(me)->Str("username"), "ann");
  EXPECT_EQ(User(me)->Str("id"), User(reg)->Str("id"));
  EXPECT_EQ(Request("GET", "/api/auth/me", "", Bearer(token)).status, 200);
  EXPECT_EQ(Code(Request("GET", "/api/auth/me", "")), "not_authenticated");

  HttpResponse login = Request("POST", "/api/auth/login", Credentials("ann", kPassword));
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string second = JsonDoc::Parse(login.body)->Str("token");
  EXPECT_NE(second, token);

  HttpResponse out = Request("POST", "/api/auth/logout", "", Cookie(second));
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_TRUE(out.Header("Set-Cookie").starts_with("parley_session=; Path=/; Max-Age=0"));
  // That session is over, by its exact code; the first one still works.
  HttpResponse after = Request("GET", "/api/auth/me", "", Cookie(second));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Code(after), "session_invalid");
  EXPECT_EQ(Code(Request("POST", "/api/auth/logout", "", Bearer(second))), "session_invalid");
  EXPECT_EQ(Request("GET", "/api/auth/me", "", Bearer(token)).status, 200);
}

TEST_F(AccountsTest, AUsernameThatExistsCannotBeRegisteredAgain) {
  Register("ann");
  for (std::string_view name : {"ann", "ANN", "Ann"}) {
    HttpResponse r = Request("POST", "/api/auth/register", Credentials(name, "another-password"));
    EXPECT_EQ(r.status, 409) << name;
    EXPECT_EQ(Code(r), "username_taken") << name;
  }
  // The first account's password still opens it.
  EXPECT_EQ(Request("POST", "/api/auth/login", Credentials("ann", kPassword)).status, 200);
}

TEST_F(AccountsTest, AWrongPasswordAndAnUnknownUserAnswerAlike) {
  Register("ann");
  HttpResponse wrong = Request("POST", "/api/auth/login", Credentials("ann", "not-the-password"));
  HttpResponse unknown = Request("POST", "/api/auth/login", Credentials("nobody", kPassword));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Code(wrong), "invalid_credentials");
  EXPECT_EQ(unknown.status, wrong.status);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_FALSE(wrong.HasHeader("Set-Cookie"));
}

TEST_F(AccountsTest, BadBodiesAreRefusedByTheirCodes) {
  EXPECT_EQ(Code(Request("POST", "/api/auth/register", Credentials("ann", "short"))),
            "invalid_password");
  EXPECT_EQ(Code(Request("POST", "/api/auth/register", Credentials("", kPassword))),
            "invalid_username");
  EXPECT_EQ(Code(Request("POST", "/api/auth/register", "not json")), "bad_request");
  EXPECT_EQ(Code(Request("GET", "/api/auth/login", "")), "method_not_allowed");
  EXPECT_EQ(Code(Request("POST", "/api/auth/nope", "")), "not_found");
}

TEST_F(AccountsTest, TheProfileChangesAndSessionsSeeIt) {
  const std::string token = Register("ann");
  HttpResponse put =
      Request("PUT", "/api/auth/me",
              R"({"displayName":"Annie","avatarUrl":"https://example.com/a.png"})", Bearer(token));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(User(put)->Str("displayName"), "Annie");
  HttpResponse me = Request("GET", "/api/auth/me", "", Cookie(token));
  EXPECT_EQ(User(me)->Str("avatarUrl"), "https://example.com/a.png");
  EXPECT_EQ(User(me)->Str("displayName"), "Annie");
  EXPECT_EQ(Code(Request("PUT", "/api/auth/me", R"({"avatarUrl":"javascript:x"})", Bearer(token))),
            "invalid_field");
  EXPECT_EQ(Code(Request("PUT", "/api/auth/me", R"({"displayName":"x"})")), "not_authenticated");
}

TEST_F(AccountsTest, TheSessionCookieMakesTheAccountTheAuthor) {
  const std::string token = Register("ann");
  // ?username= names someone else; the session decides.
  WsClient c;
  ASSERT_TRUE(c.Connect(port(), "/ws?username=mallory&room=acc", Cookie(token)))
      << c.error() << " " << c.response().body;
  NextText(c);
  NextText(c);
  auto echo = JsonDoc::Parse(SendAndEcho(c, "hello from an account"));
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->Str("username"), "ann");
  auto history = GetJson("/api/history?room=acc");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->Items().size(), 1u);
  EXPECT_EQ(JsonDoc::Parse(history->Items()[0])->Str("username"), "ann");
}

// Seed 002's REST post, as a signed-in user: the session names the author, a username in
// the body is ignored.
TEST_F(AccountsTest, ASessionMakesTheAccountTheAuthorOfARestPost) {
  const std::string token = Register("ann");
  HttpResponse r =
      Request("POST", "/api/messages",
              R"({"room":"acc","content":"posted over http","username":"mallory"})", Cookie(token));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("username"), "ann");
  auto history = GetJson("/api/history?room=acc");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->Items().size(), 1u);
  EXPECT_EQ(JsonDoc::Parse(history->Items()[0])->Str("username"), "ann");
}

// "ai" is the assistant's name in rooms: nobody can register it, in any letter case.
TEST_F(AccountsTest, TheAssistantsNameCannotBeRegistered) {
  EXPECT_EQ(Code(Request("POST", "/api/auth/register", Credentials("AI", kPassword))),
            "invalid_username");
  const std::string token = Register("ann");
  EXPECT_EQ(Code(Request("PUT", "/api/auth/me", R"({"displayName":"ai"})", Bearer(token))),
            "invalid_field");
}

TEST_F(AccountsTest, ALoggedOutSessionCannotOpenASocket) {
  const std::string token = Register("ann");
  ASSERT_EQ(Request("POST", "/api/auth/logout", "", Bearer(token)).status, 200);
  WsClient c;
  EXPECT_FALSE(c.Connect(port(), "/ws?username=ann&room=acc", Cookie(token)));
  EXPECT_EQ(c.response().status, 401);
  EXPECT_EQ(JsonDoc::Parse(c.response().body)->Str("error"), "session_invalid");
  WsClient native;
  EXPECT_FALSE(native.Connect(port(), "/v1/ws", Bearer(token)));
  EXPECT_EQ(JsonDoc::Parse(native.response().body)->Str("error"), "session_invalid");
}

TEST_F(AccountsTest, SessionsSurviveARestart) {
  const std::string token = Register("ann");
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Start(ExtraArgs()));
  HttpResponse me = Request("GET", "/api/auth/me", "", Cookie(token));
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Request("POST", "/api/auth/login", Credentials("ann", kPassword)).status, 200);
}

TEST_F(AccountsTest, NoPasswordIsStoredOrLoggedInClear) {
  const std::string token = Register("ann");
  ASSERT_EQ(Request("POST", "/api/auth/login", Credentials("ann", kPassword)).status, 200);
  ASSERT_EQ(Request("POST", "/api/auth/login", Credentials("ann", "wrong-password-here")).status,
            401);
  ASSERT_TRUE(server_.Stop());  // checkpoints the WAL into the main file
  const std::string db = DatabaseBytes();
  ASSERT_NE(db.find("$argon2id$"), std::string::npos);  // the hash is there...
  EXPECT_EQ(db.find(kPassword), std::string::npos);     // ...the password is not
  EXPECT_EQ(db.find("wrong-password-here"), std::string::npos);
  EXPECT_EQ(db.find(token), std::string::npos);  // a session is kept by its SHA-256 only
  const std::string log = server_.StderrText();
  EXPECT_NE(log.find("account_registered"), std::string::npos);  // info lines were written
  EXPECT_EQ(log.find(kPassword), std::string::npos);
  EXPECT_EQ(log.find(token), std::string::npos);
}

class ShortSessionTest : public AccountsTest {
 protected:
  std::vector<std::string> MoreArgs() const override { return {"--session-ttl-s", "1"}; }
};

TEST_F(ShortSessionTest, AnExpiredSessionIsRefusedWithItsCode) {
  const std::string token = Register("ann");
  // The session lives one second; ask until parley's clock has passed it (no event to wait
  // for: expiry is a time).
  HttpResponse me;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  do {
    me = Request("GET", "/api/auth/me", "", Cookie(token));
    if (me.status != 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(Code(me), "session_expired");
  WsClient c;
  EXPECT_FALSE(c.Connect(port(), "/ws?username=ann&room=acc", Bearer(token)));
  EXPECT_EQ(JsonDoc::Parse(c.response().body)->Str("error"), "session_expired");
}

class LoginLimitTest : public AccountsTest {
 protected:
  // Loopback is exempt from per-IP buckets by default: only the username's bucket counts.
  std::vector<std::string> MoreArgs() const override {
    return {"--rate-enabled", "1", "--rate-login-per-s", "1", "--rate-login-burst", "3"};
  }
};

TEST_F(LoginLimitTest, GuessingOneUsersPasswordIsRateLimited) {
  Register("ann");  // takes one of ann's three tokens
  int limited = 0;
  for (int i = 0; i < 12 && limited == 0; ++i) {
    HttpResponse r = Request("POST", "/api/auth/login", Credentials("ANN", "guess-number-x"));
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(Code(r), "rate_limited");
      EXPECT_TRUE(r.HasHeader("Retry-After"));
    } else {
      EXPECT_EQ(Code(r), "invalid_credentials");
    }
  }
  EXPECT_EQ(limited, 1);
  // Another user is not held back by ann's bucket.
  EXPECT_EQ(Code(Request("POST", "/api/auth/login", Credentials("bob", "guess-number-x"))),
            "invalid_credentials");
}

class IpLoginLimitTest : public AccountsTest {
 protected:
  std::vector<std::string> MoreArgs() const override {
    return {"--rate-enabled",    "1", "--rate-login-per-s", "1", "--rate-login-burst", "3",
            "--exempt-loopback", "0", "--rate-ip-factor",   "2"};
  }
};

TEST_F(IpLoginLimitTest, ManyUsernamesFromOneAddressAreRateLimited) {
  // Per IP: burst 3 x ip_factor 2 = 6 attempts, whatever the names.
  int limited = 0;
  for (int i = 0; i < 30 && limited == 0; ++i) {
    HttpResponse r = Request("POST", "/api/auth/login",
                             Credentials("user" + std::to_string(i), "guess-password"));
    limited += r.status == 429;
  }
  EXPECT_EQ(limited, 1);
}

class AccountsOffTest : public ParleyTest {};

TEST_F(AccountsOffTest, TheEndpointsAnswerAccountsDisabled) {
  auto r = testing::HttpGet(port(), "/api/auth/me");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("error"), "accounts_disabled");
  // A stray cookie changes nothing: anonymous chat goes on.
  WsClient c;
  EXPECT_TRUE(c.Connect(port(), "/ws?username=bob&room=x",
                        Headers{{"Cookie", "parley_session=ps_whatever"}}));
}

}  // namespace
}  // namespace parley::integration
