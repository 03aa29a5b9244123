// What happens when things go wrong: the server killed with SIGKILL while a client posts,
// a client that stops reading, a client that goes silent.
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "integration.h"

namespace parley::integration {
namespace {

using testing::JsonQuote;

std::string MessageFrame(std::string_view room, std::string_view text, std::string_view cid) {
  return R"({"type":"message","room":)" + JsonQuote(room) + R"(,"text":)" + JsonQuote(text) +
         R"(,"clientId":)" + JsonQuote(cid) + "}";
}

// A client posts continuously while the server is killed with SIGKILL and restarted 20
// times; it resends whatever was not acknowledged. Afterwards every acknowledged message is
// in the history exactly once, with the id and seq of its ack, and seqs have no gaps.
TEST_F(ParleyTest, NoAcknowledgedMessageIsLostOrDuplicatedAcrossTwentyKills) {
  std::map<std::string, std::pair<std::string, int64_t>> acked;  // clientId -> (id, seq)
  std::vector<std::string> unacked;
  int next = 0;
  for (int round = 0; round < 20; ++round) {
    if (round > 0) {
      ASSERT_TRUE(server_.Start()) << "restart " << round;
    }
    WsClient c;
    ASSERT_TRUE(c.Connect(port(), "/v1/ws?username=writer")) << c.error();
    ASSERT_TRUE(c.SendText(R"({"type":"join","room":"log"})"));
    // Retry what the last run did not acknowledge, then post new messages.
    std::vector<std::string> batch = unacked;
    for (int i = 0; i < 40; ++i) batch.push_back("m" + std::to_string(next++));
    for (const auto& cid : batch) ASSERT_TRUE(c.SendText(MessageFrame("log", "text " + cid, cid)));
    std::set<std::string> pending(batch.begin(), batch.end());
    // Read some acks (a different number each round), then kill mid-stream.
    const size_t stop_after = pending.size() / 2 + static_cast<size_t>(round % 7);
    size_t got = 0;
    while (got < stop_after) {
      auto ack = c.ReadUntilType("ack", AfterSeconds(10));
      ASSERT_TRUE(ack) << c.error();
      auto a = JsonDoc::Parse(*ack);
      const std::string cid = a->Str("clientId");
      auto [it, fresh] = acked.emplace(cid, std::make_pair(a->Str("id"), a->Int("seq")));
      if (!fresh) {
        EXPECT_EQ(it->second.first, a->Str("id")) << "a retry got a different id";
      }
      pending.erase(cid);
      ++got;
    }
    server_.Kill();
    unacked.assign(pending.begin(), pending.end());
  }
  ASSERT_TRUE(server_.Start());
  std::vector<std::string> all;
  for (int64_t after = 0;;) {
    auto page = GetJson("/api/history?room=log&limit=100&after=" + std::to_string(after));
    ASSERT_TRUE(page);
    auto items = page->Items();
    if (items.empty()) break;
    for (auto& item : items) all.push_back(item);
    after = JsonDoc::Parse(items.back())->Int("seq");
  }
  std::map<std::string, int> copies;
  for (size_t i = 0; i < all.size(); ++i) {
    auto m = JsonDoc::Parse(all[i]);
    ASSERT_EQ(m->Int("seq"), static_cast<int64_t>(i + 1)) << "a gap in the history";
    ++copies[m->Str("clientId")];
  }
  for (const auto& [cid, copy] : copies) EXPECT_EQ(copy, 1) << cid << " stored twice";
  for (const auto& [cid, id_seq] : acked) {
    ASSERT_EQ(copies.count(cid), 1u) << "acknowledged " << cid << " was lost";
    auto m = JsonDoc::Parse(all[static_cast<size_t>(id_seq.second - 1)]);
    EXPECT_EQ(m->Str("clientId"), cid);
    EXPECT_EQ(m->Str("id"), id_seq.first);
  }
  EXPECT_GE(acked.size(), 400u);
}

class SlowConsumerTest : public ParleyTest {
  std::vector<std::string> ExtraArgs() const override {
    return {"--send-queue-bytes", "65536", "--max-message-bytes", "4096"};
  }
};

// One member stops reading in a busy room: it is closed as a slow consumer, the others keep
// getting every message, and it can resume with `since`.
TEST_F(SlowConsumerTest, AStalledReaderIsClosedAndTheOthersKeepFlowing) {
  WsClient stalled;
  ASSERT_TRUE(stalled.Connect(port(), "/v1/ws?username=stalled"));
  ASSERT_TRUE(stalled.SendText(R"({"type":"join","room":"busy"})"));
  auto joined = stalled.ReadUntilType("presence", AfterSeconds(10));
  ASSERT_TRUE(joined);

  constexpr int kMessages = 3000;  // ~12 MB: more than the socket buffers can hide
  const std::string body(3900, 'x');
  std::atomic<int> received{0};
  std::atomic<bool> reader_done{false};
  std::string reader_error;  // written by the reader thread before reader_done
  std::mutex progress_mu;
  std::condition_variable progress;
  std::thread reader([&] {
    WsClient r;
    if (!r.Connect(port(), "/v1/ws?username=reader")) return;
    r.SendText(R"({"type":"join","room":"busy"})");
    while (received < kMessages) {
      if (!r.ReadUntilType("chat", AfterSeconds(20))) {
        reader_error = r.error();
        break;
      }
      {
        std::lock_guard lock(progress_mu);  // so the poster cannot miss the wake-up
        ++received;
      }
      progress.notify_all();
    }
    {
      std::lock_guard lock(progress_mu);
      reader_done = true;  // wakes the poster whether or not every message came
    }
    progress.notify_all();
  });
  // Let the reader join before the flood starts.
  for (auto d = AfterSeconds(10); testing::Clock::now() < d;) {
    auto users = GetJson("/api/users?room=busy");
    if (users && users->Int("userCount") == 2) break;
  }
  WsClient poster;
  ASSERT_TRUE(poster.Connect(port(), "/v1/ws?username=poster"));
  ASSERT_TRUE(poster.SendText(R"({"type":"join","room":"busy"})"));
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_TRUE(poster.SendText(MessageFrame("busy", body, "p" + std::to_string(i))));
    if (i % 10 != 9) continue;
    // The reading member is a well-behaved client: every 10 messages the poster waits until
    // it has read them all, so at most 10 (40 KB) are ever unread - less than the 64 KiB send
    // queue alone, even while this machine starves the reader's thread. Only the stalled
    // client can fill its queue.
    {
      std::unique_lock lock(progress_mu);
      progress.wait_until(lock, AfterSeconds(20), [&] { return reader_done || received >= i + 1; });
    }
    // The poster is a member too: it reads its copies and acks up to this message's ack, so
    // it never becomes the slow one.
    for (std::string cid; cid != "p" + std::to_string(i);) {
      auto ack = poster.ReadUntilType("ack", AfterSeconds(20));
      ASSERT_TRUE(ack) << poster.error();
      cid = JsonDoc::Parse(*ack)->Str("clientId");
    }
  }
  reader.join();
  EXPECT_EQ(received.load(), kMessages) << "the reading member got every message; " << reader_error;

  // The stalled client now drains its socket and finds the end of the stream. The close
  // frame (1008) was queued behind what its full socket could not take, so it arrives only
  // when the client started reading again within timeouts.close_timeout_s; the metric counts
  // the close either way.
  testing::CloseResult closed = stalled.WaitClosed(AfterSeconds(30));
  EXPECT_TRUE(closed.tcp_closed || closed.got_close_frame) << closed.Describe();
  if (closed.got_close_frame) {
    EXPECT_EQ(closed.code, 1008) << closed.Describe();
  }
  testing::HttpResponse metrics = testing::HttpGet(port(), "/metrics");
  EXPECT_NE(metrics.body.find("parley_slow_consumer_closes_total 1"), std::string::npos);

  // It comes back and resumes from where it had got to.
  WsClient back;
  ASSERT_TRUE(back.Connect(port(), "/v1/ws?username=stalled"));
  ASSERT_TRUE(back.SendText(R"({"type":"join","room":"busy","since":2990})"));
  auto resumed = JsonDoc::Parse(*back.ReadUntilType("joined", AfterSeconds(10)));
  EXPECT_TRUE(resumed->root()["recovered"].get_bool().value());
  auto first = back.ReadUntilType("chat", AfterSeconds(10));
  ASSERT_TRUE(first);
  EXPECT_EQ(JsonDoc::Parse(*first)->Int("seq"), 2991);
}

class KeepaliveTest : public ParleyTest {
  std::vector<std::string> ExtraArgs() const override {
    return {"--ws-ping-interval-s", "1", "--ws-pong-timeout-s", "1"};
  }
};

TEST_F(KeepaliveTest, ASilentPeerIsClosedAndOneThatAnswersStays) {
  WsClient silent;
  ASSERT_TRUE(silent.Connect(port(), "/v1/ws?username=silent"));
  WsClient alive;
  ASSERT_TRUE(alive.Connect(port(), "/v1/ws?username=alive"));
  // `alive` answers each ping; `silent` reads nothing and sends nothing.
  int pings = 0;
  for (auto until = AfterSeconds(4); testing::Clock::now() < until;) {
    auto frame = alive.ReadControl(testing::After(std::chrono::milliseconds(200)));
    if (frame && frame->opcode == testing::op::kPing) {
      ++pings;
      ASSERT_TRUE(alive.SendPong(frame->payload));
    }
  }
  EXPECT_GE(pings, 1) << "the server pings on its interval";
  ASSERT_TRUE(alive.SendText(R"({"type":"ping"})"));
  EXPECT_TRUE(alive.ReadUntilType("pong", AfterSeconds(5))) << "the answering peer stays";
  // The silent one was dropped without a handshake (a dead peer cannot answer one).
  std::optional<testing::WsFrame> f;
  do {
    f = silent.ReadFrame(AfterSeconds(5));
  } while (f && f->opcode == testing::op::kPing);
  EXPECT_FALSE(f) << "expected the connection to be gone";
  testing::HttpResponse metrics = testing::HttpGet(port(), "/metrics");
  EXPECT_NE(metrics.body.find("parley_keepalive_closes_total 1"), std::string::npos);
}

class StoreBacklogTest : public ParleyTest {
  std::vector<std::string> ExtraArgs() const override { return {"--store-max-backlog", "1"}; }
};

// Clients sending faster than the disk commits are told to send again instead of growing
// a queue; retried with the same clientId, every message ends up stored exactly once.
TEST_F(StoreBacklogTest, ABusyStoreRefusesAndRetriesLoseNothing) {
  WsClient c;
  ASSERT_TRUE(c.Connect(port(), "/v1/ws?username=eager")) << c.error();
  ASSERT_TRUE(c.SendText(R"({"type":"join","room":"busy"})"));
  ASSERT_TRUE(c.ReadUntilType("joined", AfterSeconds(10)));
  constexpr int kMessages = 300;
  std::set<std::string> waiting;
  for (int i = 0; i < kMessages; ++i) {
    const std::string cid = "m" + std::to_string(i);
    waiting.insert(cid);
    ASSERT_TRUE(c.SendText(MessageFrame("busy", "text " + cid, cid)));
  }
  int refused = 0;
  while (!waiting.empty()) {
    std::optional<testing::WsFrame> frame = c.ReadMessage(AfterSeconds(10));
    ASSERT_TRUE(frame) << c.error() << " with " << waiting.size() << " unacknowledged";
    auto doc = JsonDoc::Parse(frame->payload);
    if (!doc) continue;
    if (doc->Str("type") == "ack") waiting.erase(doc->Str("clientId"));
    if (doc->Str("type") == "error") {
      ASSERT_EQ(doc->Str("code"), "unavailable") << frame->payload;
      ++refused;
      const std::string cid = doc->Str("ref");
      ASSERT_TRUE(c.SendText(MessageFrame("busy", "text " + cid, cid)));  // send it again
    }
  }
  EXPECT_GT(refused, 0) << "300 messages at once should pass a backlog of 1";
  std::set<std::string> stored;
  for (int64_t after = 0;;) {
    auto page = GetJson("/api/history?room=busy&limit=100&after=" + std::to_string(after));
    ASSERT_TRUE(page);
    auto items = page->Items();
    if (items.empty()) break;
    for (const auto& item : items) {
      auto m = JsonDoc::Parse(item);
      EXPECT_TRUE(stored.insert(m->Str("clientId")).second) << "stored twice: " << item;
      after = m->Int("seq");
    }
  }
  EXPECT_EQ(stored.size(), static_cast<size_t>(kMessages));
}

}  // namespace
}  // namespace parley::integration
