#include "conformance.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>

#include "json.h"

namespace parley::conformance {
namespace {

using parley::testing::AfterSeconds;
using parley::testing::JsonDoc;

struct CaseRow {
  std::string id;
  std::string description;
  std::string expected;
  std::string observed;
  std::string last;           // the most recent Observe() text
  std::string last_rendered;  // how it appears at the end of `observed`
  int repeats = 0;
};

// Keyed by "Suite.Test"; filled while tests run, read once at the end.
std::map<std::string, CaseRow>& Rows() {
  static std::map<std::string, CaseRow> rows;
  return rows;
}

std::string CurrentTestKey() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "";
  return std::string(info->test_suite_name()) + "." + info->name();
}

std::string Cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "; ";
    } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) {
      out += '?';  // reasons may carry arbitrary bytes: keep the table readable
    } else {
      out += c;
    }
  }
  return out;
}

// Orders "1.2.10" after "1.2.9".
bool IdLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    size_t ie = a.find('.', i), je = b.find('.', j);
    if (ie == std::string::npos) ie = a.size();
    if (je == std::string::npos) je = b.size();
    long x = std::strtol(a.substr(i, ie - i).c_str(), nullptr, 10);
    long y = std::strtol(b.substr(j, je - j).c_str(), nullptr, 10);
    if (x != y) return x < y;
    i = ie + 1;
    j = je + 1;
  }
  return a.size() < b.size();
}

// Writes the case table after the last test, with each test's pass/fail from gtest.
class ReportWriter : public ::testing::Environment {
 public:
  void TearDown() override {
    const char* path = std::getenv("PARLEY_CONFORMANCE_REPORT");
    if (path == nullptr || *path == '\0') return;
    struct Line {
      CaseRow row;
      bool passed;
    };
    std::vector<Line> lines;
    int passed = 0;
    const ::testing::UnitTest& ut = *::testing::UnitTest::GetInstance();
    for (int s = 0; s < ut.total_test_suite_count(); ++s) {
      const ::testing::TestSuite& suite = *ut.GetTestSuite(s);
      for (int t = 0; t < suite.total_test_count(); ++t) {
        const ::testing::TestInfo& info = *suite.GetTestInfo(t);
        if (!info.should_run()) continue;
        auto it = Rows().find(std::string(suite.name()) + "." + info.name());
        if (it == Rows().end()) continue;
        bool ok = info.result()->Passed();
        passed += ok ? 1 : 0;
        lines.push_back({it->second, ok});
      }
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return IdLess(a.row.id, b.row.id); });
    std::ofstream out(path);
    out << "# WebSocket conformance\n\n"
        << "parley's WebSocket layer checked against the case families of the "
           "Autobahn|Testsuite (RFC 6455), by `tests/conformance/` over real sockets "
           "against the real binary. parley has no echo endpoint: a text message becomes a "
           "chat message broadcast back to its sender, so \"delivered\" means the chat "
           "frame carrying exactly the sent text came back. Case ids follow Autobahn's "
           "families (1 framing, 2 pings, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 "
           "UTF-8, 7 close, 9 limits, 10 transport); the numbers within a family are "
           "parley's own.\n\n"
        << "Regenerate with `PARLEY_CONFORMANCE_REPORT=docs/conformance.md "
           "build/tests/conformance/conformance_test`.\n\n"
        << "**" << passed << " of " << lines.size() << " cases pass.**\n\n"
        << "| Case | Description | Expected | Result | Observed |\n"
        << "|---|---|---|---|---|\n";
    for (const Line& l : lines) {
      out << "| " << Cell(l.row.id) << " | " << Cell(l.row.description) << " | "
          << Cell(l.row.expected) << " | " << (l.passed ? "pass" : "**FAIL**") << " | "
          << Cell(l.row.observed) << " |\n";
    }
  }
};

[[maybe_unused]] ::testing::Environment* const kReport =
    ::testing::AddGlobalTestEnvironment(new ReportWriter);

}  // namespace

void RecordCase(std::string id, std::string description, std::string expected) {
  CaseRow row;
  row.id = std::move(id);
  row.description = std::move(description);
  row.expected = std::move(expected);
  Rows()[CurrentTestKey()] = std::move(row);
}

void Observe(std::string_view what) {
  CaseRow& row = Rows()[CurrentTestKey()];
  // Repeats (ten identical pongs) read better as one entry with a count.
  if (row.last == what) {
    row.observed.resize(row.observed.size() - row.last_rendered.size());
    ++row.repeats;
  } else {
    if (!row.observed.empty()) row.observed += "; ";
    row.last = std::string(what);
    row.repeats = 1;
  }
  row.last_rendered = row.last + (row.repeats > 1 ? " x" + std::to_string(row.repeats) : "");
  row.observed += row.last_rendered;
}

std::unique_ptr<testing::ServerProcess> ConformanceTest::server_;

void ConformanceTest::SetUpTestSuite() {
  server_ = std::make_unique<testing::ServerProcess>();
  ::testing::AssertionResult started = server_->Start();
  if (!started) {
    ADD_FAILURE() << started.message();
    server_.reset();
  }
}

void ConformanceTest::TearDownTestSuite() {
  if (server_ == nullptr) return;
  std::optional<testing::ExitStatus> status = server_->Stop();
  EXPECT_TRUE(status && status->exited && status->code == 0)
      << "parley did not exit cleanly on SIGTERM: "
      << (status ? status->Describe() : "still running after 10 s") << "\nstderr:\n"
      << server_->StderrText();
  server_.reset();
}

void ConformanceTest::SetUp() {
  ASSERT_NE(server_, nullptr) << "no server for this suite";
  ASSERT_TRUE(server_->running());
}

void ConformanceTest::TearDown() {
  for (const auto& c : clients_) {
    EXPECT_EQ(c->violations(), "") << "the server's frames broke RFC 6455";
  }
  clients_.clear();
  // A case that crashed the server fails here rather than in every later case.
  if (server_ != nullptr) {
    testing::HttpResponse health = testing::HttpGet(port(), "/api/health");
    EXPECT_EQ(health.status, 200) << "server unhealthy after the case: " << health.error
                                  << "\nstderr:\n"
                                  << server_->StderrText();
  }
}

uint16_t ConformanceTest::port() { return server_ ? server_->port() : 0; }

std::string ConformanceTest::Room() const {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string room = std::string(info->test_suite_name()) + "-" + info->name();
  for (char& ch : room) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.' && ch != '-') {
      ch = '-';
    }
  }
  return room.substr(0, 64);
}

WsClient& ConformanceTest::Join(std::string_view username) {
  clients_.push_back(std::make_unique<WsClient>());
  WsClient& c = *clients_.back();
  std::string target = "/ws?username=" + std::string(username) + "&room=" + Room();
  if (!c.Connect(port(), target)) {
    ADD_FAILURE() << "connect " << target << ": " << c.error();
    return c;
  }
  if (!c.ReadUntilType("history", AfterSeconds(10))) {
    ADD_FAILURE() << "no history frame after joining: " << c.error();
  } else if (!c.ReadUntilType("presence", AfterSeconds(10))) {
    ADD_FAILURE() << "no presence snapshot after joining: " << c.error();
  }
  return c;
}

void ConformanceTest::ExpectChat(WsClient& c, std::string_view text, std::string_view username) {
  std::optional<std::string> frame = c.ReadChat(AfterSeconds(10));
  if (!frame) {
    Observe("no chat frame: " + c.error());
    ADD_FAILURE() << "no chat frame for a " << text.size() << "-byte message: " << c.error();
    return;
  }
  std::optional<JsonDoc> doc = JsonDoc::Parse(*frame);
  ASSERT_TRUE(doc) << "chat frame is not JSON: " << *frame;
  bool same = doc->Str("message") == text;
  Observe(same ? "delivered (" + std::to_string(text.size()) + " bytes)"
               : "delivered altered text");
  EXPECT_TRUE(same) << "sent " << text.size() << " bytes, got " << doc->Str("message").size()
                    << " bytes back";
  EXPECT_EQ(doc->Str("username"), username);
  EXPECT_EQ(doc->Str("room"), Room());
}

void ConformanceTest::ExpectError(WsClient& c, std::string_view code) {
  std::optional<std::string> frame = c.ReadUntilType("error", AfterSeconds(10));
  if (!frame) {
    Observe("no error frame: " + c.error());
    ADD_FAILURE() << "expected error " << code << ", got: " << c.error();
    return;
  }
  std::optional<JsonDoc> doc = JsonDoc::Parse(*frame);
  ASSERT_TRUE(doc);
  Observe("error frame " + doc->Str("code"));
  EXPECT_EQ(doc->Str("code"), code) << *frame;
  EXPECT_FALSE(doc->Str("message").empty()) << "error frames carry a sentence: " << *frame;
}

void ConformanceTest::ExpectPong(WsClient& c, std::string_view payload) {
  for (;;) {
    std::optional<WsFrame> f = c.ReadControl(AfterSeconds(10));
    if (!f) {
      Observe("no pong: " + c.error());
      ADD_FAILURE() << "no pong: " << c.error();
      return;
    }
    if (f->opcode == op::kPing) {
      c.SendPong(f->payload);
      continue;
    }
    if (f->opcode == op::kPong) {
      Observe("pong (" + std::to_string(f->payload.size()) + " bytes)");
      EXPECT_EQ(f->payload, payload) << "pong must carry the ping's payload";
      return;
    }
    if (f->opcode == op::kClose) {
      Observe("close instead of pong");
      ADD_FAILURE() << "server closed instead of answering the ping";
      return;
    }
  }
}

void ConformanceTest::ExpectClose(WsClient& c, int code) {
  testing::CloseResult r = c.WaitClosed(AfterSeconds(10));
  Observe(r.Describe());
  EXPECT_TRUE(r.got_close_frame) << r.Describe();
  EXPECT_EQ(r.code, code) << r.Describe();
  EXPECT_TRUE(r.tcp_closed) << r.Describe();
}

void ConformanceTest::ExpectAlive(WsClient& c) {
  std::string text = "still here " + std::to_string(++alive_checks_);
  ASSERT_TRUE(c.SendText(text)) << "connection gone";
  std::optional<std::string> frame = c.ReadChat(AfterSeconds(10));
  bool alive = frame && JsonDoc::Parse(*frame) && JsonDoc::Parse(*frame)->Str("message") == text;
  Observe(alive ? "connection stays" : "connection lost: " + c.error());
  EXPECT_TRUE(alive) << "no round trip after the case: " << c.error();
}

std::string Text(size_t n) {
  std::string s;
  s.reserve(n);
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i % 26));
  return s;
}

}  // namespace parley::conformance
