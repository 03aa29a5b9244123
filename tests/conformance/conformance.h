// The WebSocket conformance suite's harness: one parley process per test suite, a client
// joined to a room of its own per case, expectations phrased the way the Autobahn
// Testsuite phrases them, and a case table written as markdown when
// PARLEY_CONFORMANCE_REPORT names a file.
//
// parley has no echo endpoint: a text message becomes a chat message that the room
// broadcasts to everyone including its sender, so "the message arrived intact" is checked
// by receiving the chat frame whose "message" equals what was sent.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server_process.h"
#include "ws_client.h"

namespace parley::conformance {

using parley::testing::WsClient;
using parley::testing::WsFrame;
namespace op = parley::testing::op;
using parley::testing::kRsv1;
using parley::testing::kRsv2;
using parley::testing::kRsv3;

// Declares the case the running test checks, for the report table.
void RecordCase(std::string id, std::string description, std::string expected);
// Adds what the test saw to the current case's row.
void Observe(std::string_view what);

#define PARLEY_CASE(id, description, expected) \
  ::parley::conformance::RecordCase(id, description, expected)

class ConformanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  void TearDown() override;

  static uint16_t port();

  // A client joined to this case's own room as `username`, past its history and presence
  // snapshot. Fails the test (and returns a client that is not connected) on error.
  WsClient& Join(std::string_view username = "tester");
  // The room this case's clients join.
  std::string Room() const;

  // Reads until the chat frame for `text` (from `username`) arrives.
  void ExpectChat(WsClient& c, std::string_view text, std::string_view username = "tester");
  // Reads until an error frame arrives and checks its code.
  void ExpectError(WsClient& c, std::string_view code);
  // Reads until a pong arrives and checks its payload; data messages read past are kept
  // for the next ExpectChat.
  void ExpectPong(WsClient& c, std::string_view payload);
  // The server fails or closes the connection: a close frame with `code`, then TCP close.
  void ExpectClose(WsClient& c, int code);
  // The connection still works: a fresh chat message makes the round trip.
  void ExpectAlive(WsClient& c);

  static std::unique_ptr<testing::ServerProcess> server_;

 private:
  std::vector<std::unique_ptr<WsClient>> clients_;
  int alive_checks_ = 0;
};

// Wraps a send whose failure is no error: the server may fail the connection before all
// of a bad frame (or what follows it) is written, and the test then checks the close.
inline void MayFail(bool sent) { static_cast<void>(sent); }

// Text of `n` bytes, printable and never whitespace-only.
std::string Text(size_t n);

// One Autobahn family per suite, each with its own server.
class Framing : public ConformanceTest {};
class Pings : public ConformanceTest {};
class ReservedBits : public ConformanceTest {};
class Opcodes : public ConformanceTest {};
class Fragmentation : public ConformanceTest {};
class Utf8 : public ConformanceTest {};
class Close : public ConformanceTest {};
class Limits : public ConformanceTest {};
class Transport : public ConformanceTest {};

}  // namespace parley::conformance
