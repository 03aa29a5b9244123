// Shared fixture for the seed 004 integration tests: a fresh parley process per test on
// port 0 with its own data directory, and clients that join rooms over real sockets.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.h"
#include "json.h"
#include "server_process.h"
#include "ws_client.h"

namespace parley::integration {

using testing::AfterSeconds;
using testing::HttpGet;
using testing::HttpResponse;
using testing::JsonDoc;
using testing::WsClient;

class ParleyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start(ExtraArgs())); }
  // Flags added to the server's command line by a test that needs them.
  virtual std::vector<std::string> ExtraArgs() const { return {}; }

  uint16_t port() const { return server_.port(); }

  // Connects `username` to `room`. Does not read anything.
  WsClient& Connect(std::string_view username, std::string_view room = "general");
  // Connects and reads the history frame and the presence snapshot, in that order.
  // `history` and `snapshot` receive them when not null.
  WsClient& Join(std::string_view username, std::string_view room = "general",
                 std::string* history = nullptr, std::string* snapshot = nullptr);
  // Reads the next text message, answering server pings; "" on timeout/close.
  static std::string NextText(WsClient& c);
  // Sends `text` from `c` and reads `c`'s own copy of the chat frame back.
  static std::string SendAndEcho(WsClient& c, std::string_view text);
  // GET `target`, parsed as JSON (fails the test when it is not JSON).
  std::optional<JsonDoc> GetJson(std::string_view target, int expected_status = 200);

  testing::ServerProcess server_;

 private:
  std::vector<std::unique_ptr<WsClient>> clients_;
};

// The sorted strings, for comparing user lists whose order the contract leaves open.
std::vector<std::string> Sorted(std::vector<std::string> v);

}  // namespace parley::integration
