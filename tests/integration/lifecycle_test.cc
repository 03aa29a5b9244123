// The process as an operator sees it: restart on the same data directory, SIGTERM.
#include <signal.h>

#include "integration.h"

namespace parley::integration {
namespace {

TEST_F(ParleyTest, MessagesSurviveARestart) {
  {
    WsClient& alice = Join("alice", "durable");
    for (int i = 1; i <= 20; ++i) SendAndEcho(alice, "kept " + std::to_string(i));
  }
  std::optional<testing::ExitStatus> status = server_.Stop(SIGTERM);
  ASSERT_TRUE(status) << "no exit within 10 s of SIGTERM";
  EXPECT_TRUE(status->exited && status->code == 0) << status->Describe() << "\nstderr:\n"
                                                   << server_.StderrText();

  ASSERT_TRUE(server_.Start());
  std::string history;
  WsClient& bob = Join("bob", "durable", &history);
  std::vector<std::string> messages = JsonDoc::Parse(history)->Items("messages");
  ASSERT_EQ(messages.size(), 20u) << history;
  for (int i = 0; i < 20; ++i) {
    auto m = JsonDoc::Parse(messages[i]);
    EXPECT_EQ(m->Str("message"), "kept " + std::to_string(i + 1));
    EXPECT_EQ(m->Int("seq"), i + 1);
  }
  auto next = JsonDoc::Parse(SendAndEcho(bob, "after restart"));
  EXPECT_EQ(next->Int("seq"), 21) << "seq continues after a restart";
  auto api = GetJson("/api/history?room=durable");
  EXPECT_EQ(api->Items().size(), 21u);
}

TEST_F(ParleyTest, SigtermClosesSocketsWith1001AndExitsZero) {
  WsClient& alice = Join("alice", "one");
  WsClient& bob = Join("bob", "two");
  ASSERT_TRUE(server_.Signal(SIGTERM));
  for (WsClient* c : {&alice, &bob}) {
    std::optional<testing::WsFrame> close;
    for (;;) {
      close = c->ReadFrame(AfterSeconds(10));
      if (!close || close->opcode == testing::op::kClose) break;
    }
    ASSERT_TRUE(close) << "no close frame on shutdown: " << c->error();
    ASSERT_GE(close->payload.size(), 2u);
    int code =
        (static_cast<uint8_t>(close->payload[0]) << 8) | static_cast<uint8_t>(close->payload[1]);
    EXPECT_EQ(code, 1001);
    c->SendClose(1001);  // complete the handshake as a browser would
  }
  std::optional<testing::ExitStatus> status = server_.Wait(std::chrono::seconds(10));
  ASSERT_TRUE(status) << "still running 10 s after SIGTERM";
  EXPECT_TRUE(status->exited && status->code == 0) << status->Describe() << "\nstderr:\n"
                                                   << server_.StderrText();
}

TEST_F(ParleyTest, SigintAlsoStopsCleanly) {
  Join("alice");
  std::optional<testing::ExitStatus> status = server_.Stop(SIGINT);
  ASSERT_TRUE(status) << "still running 10 s after SIGINT";
  EXPECT_TRUE(status->exited && status->code == 0) << status->Describe() << "\nstderr:\n"
                                                   << server_.StderrText();
}

}  // namespace
}  // namespace parley::integration
