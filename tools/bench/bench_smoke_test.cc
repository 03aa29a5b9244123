// parley-bench against the real parley binary: the generator connects, sends, counts and
// reports correctly. Checks correctness only (deliveries, drops, reorders, connect errors),
// never timing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "json.h"
#include "server_process.h"

#ifndef PARLEY_BENCH_BIN
#define PARLEY_BENCH_BIN "parley-bench"
#endif

namespace parley::bench {
namespace {

using parley::testing::JsonDoc;
using parley::testing::ServerProcess;

// Runs parley-bench with `args` and waits up to `timeout` for it to exit; returns its
// exit code, or -1 when it did not finish in time (it is then killed).
int RunBench(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  std::vector<std::string> argv_s = {PARLEY_BENCH_BIN};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a child's exit
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class BenchSmokeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start()); }

  // Runs a scenario and returns its JSON result.
  std::optional<JsonDoc> Run(const std::string& scenario, std::vector<std::string> args) {
    const std::string json = server_.data_dir() + "/" + scenario + ".json";
    std::vector<std::string> all = {
        scenario, "--host", "127.0.0.1", "--port", std::to_string(server_.port()),
        "--json", json,     "--threads", "2",      "--label",
        "smoke"};
    all.insert(all.end(), args.begin(), args.end());
    const int code = RunBench(all, std::chrono::seconds(30));
    EXPECT_EQ(code, 0) << "parley-bench " << scenario;
    if (code != 0) return std::nullopt;
    auto doc = JsonDoc::Parse(ReadFile(json));
    EXPECT_TRUE(doc.has_value()) << ReadFile(json);
    return doc;
  }

  void ExpectClean(const JsonDoc& doc) {
    EXPECT_GT(doc.Int("sent"), 0);
    EXPECT_GT(doc.Int("deliveries"), 0);
    EXPECT_GT(doc.Int("expected_deliveries"), 0);
    EXPECT_EQ(doc.Int("drops"), 0);
    EXPECT_EQ(doc.Int("reorders"), 0);
    EXPECT_EQ(doc.Int("connect_errors"), 0);
    EXPECT_EQ(doc.Int("closed_by_server"), 0);
    EXPECT_EQ(doc.Int("error_frames"), 0);
  }

  ServerProcess server_;
};

TEST_F(BenchSmokeTest, FanoutDeliversEveryMessageToEveryMember) {
  auto doc = Run("fanout", {"--members", "20", "--senders", "2", "--rate", "200", "--duration", "3",
                            "--warmup", "0.5", "--sample-receivers", "5"});
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->Str("scenario"), "fanout");
  EXPECT_EQ(doc->Str("label"), "smoke");
  EXPECT_EQ(doc->Int("connections"), 20);
  ExpectClean(*doc);
  // Every member receives every message: 20 deliveries per message sent in the window.
  EXPECT_EQ(doc->Int("expected_deliveries"), doc->Int("sent") * 20);
}

TEST_F(BenchSmokeTest, PairsDeliverToBothMembers) {
  auto doc = Run("pairs", {"--pairs", "50", "--rate", "500", "--duration", "2", "--warmup", "0.5",
                           "--sample-receivers", "20"});
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->Str("scenario"), "pairs");
  EXPECT_EQ(doc->Int("connections"), 100);
  ExpectClean(*doc);
  EXPECT_EQ(doc->Int("expected_deliveries"), doc->Int("sent") * 2);
}

TEST_F(BenchSmokeTest, DurableAcknowledgesEveryMessageAndDeliversItToTheRoom) {
  auto doc = Run("durable", {"--rooms", "10", "--room-members", "2", "--rate", "200", "--duration",
                             "2", "--warmup", "0.5"});
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->Str("scenario"), "durable");
  EXPECT_EQ(doc->Str("cpu_unit"), "ack");
  EXPECT_EQ(doc->Int("connections"), 20);
  ExpectClean(*doc);
  // Every message sent in the window is acknowledged to its sender and reaches both members.
  EXPECT_EQ(doc->Int("acks"), doc->Int("sent"));
  EXPECT_EQ(doc->Int("expected_deliveries"), doc->Int("sent") * 2);
  EXPECT_EQ(doc->Int("deliveries"), doc->Int("expected_deliveries"));
}

TEST_F(BenchSmokeTest, MatchMatchesClientsOverAndOverWithoutErrors) {
  auto doc = Run("match", {"--clients", "20", "--duration", "2", "--warmup", "0.5"});
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->Str("scenario"), "match");
  EXPECT_EQ(doc->Str("cpu_unit"), "match");
  EXPECT_EQ(doc->Int("connections"), 20);
  EXPECT_GT(doc->Int("matches"), 0);
  EXPECT_GT(doc->Int("sent"), doc->Int("matches"));  // searches: two per match and more
  EXPECT_EQ(doc->Int("connect_errors"), 0);
  EXPECT_EQ(doc->Int("closed_by_server"), 0);
  // No refused search, and never both clients of a chat ending it.
  EXPECT_EQ(doc->Int("error_frames"), 0);
  simdjson::dom::element params;
  ASSERT_FALSE(doc->root()["params"].get(params));
  // Every client learnt its id, so exactly one side ended each chat.
  EXPECT_EQ(parley::testing::IntOf(params, "ids_learnt"), 20);
}

}  // namespace
}  // namespace parley::bench
