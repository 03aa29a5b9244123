// Autobahn family 7: the closing handshake and close codes.
#include "conformance.h"
#include "json.h"

namespace parley::conformance {
namespace {

using testing::AfterSeconds;
using testing::ClosePayload;
using testing::EncodeWsFrame;

TEST_F(Close, Case_7_1_1_TextThenClose) {
  PARLEY_CASE("7.1.1", "Text message, then close 1000", "close 1000 echoed, TCP closed");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, "last words") +
                    EncodeWsFrame(op::kClose, ClosePayload(1000))));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_1_2_CloseTwice) {
  PARLEY_CASE("7.1.2", "Close 1000 sent twice", "one close 1000 echoed, second ignored");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kClose, ClosePayload(1000)) +
                    EncodeWsFrame(op::kClose, ClosePayload(1000))));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_1_3_PingAfterClose) {
  PARLEY_CASE("7.1.3", "Close 1000, then ping", "close 1000 echoed, the ping is not answered");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kClose, ClosePayload(1000)) +
                    EncodeWsFrame(op::kPing, "after close")));
  testing::CloseResult r;
  // No pong may come before or after the close frame.
  for (;;) {
    std::optional<WsFrame> f = c.ReadFrame(AfterSeconds(10));
    ASSERT_TRUE(f) << "no close frame: " << c.error();
    EXPECT_NE(f->opcode, op::kPong) << "the ping after the close was answered";
    if (f->opcode == op::kClose) break;
  }
  r = c.WaitClosed(AfterSeconds(10));  // the close frame was consumed above
  Observe(r.tcp_closed ? "close echoed, no pong, tcp closed" : "tcp still open");
  EXPECT_TRUE(r.tcp_closed) << r.Describe();
}

TEST_F(Close, Case_7_1_4_TextAfterClose) {
  PARLEY_CASE("7.1.4", "Close 1000, then a text message",
              "close 1000 echoed; the text is not delivered to the room");
  WsClient& watcher = Join("watcher");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kClose, ClosePayload(1000)) +
                    EncodeWsFrame(op::kText, "sent after close")));
  ExpectClose(c, 1000);
  // The closer is gone; anything it got through would reach the room before this marker.
  ASSERT_TRUE(watcher.SendText("marker"));
  for (;;) {
    std::optional<std::string> chat = watcher.ReadChat(AfterSeconds(10));
    ASSERT_TRUE(chat) << watcher.error();
    std::string message = testing::JsonDoc::Parse(*chat)->Str("message");
    EXPECT_NE(message, "sent after close");
    if (message == "marker") break;
  }
  Observe("text after close not delivered");
}

TEST_F(Close, Case_7_1_5_CloseInsideFragmentedMessage) {
  PARLEY_CASE("7.1.5", "Text start (no FIN), then close 1000", "close 1000 echoed");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, "fragment1", false) +
                    EncodeWsFrame(op::kClose, ClosePayload(1000))));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_1_6_LargeMessagePingClose) {
  PARLEY_CASE("7.1.6", "4000-byte text, ping, close 1000 in one write",
              "close 1000 echoed, TCP closed");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, Text(4000)) + EncodeWsFrame(op::kPing, "p") +
                    EncodeWsFrame(op::kClose, ClosePayload(1000))));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_3_1_EmptyClose) {
  PARLEY_CASE("7.3.1", "Close without payload", "close answered (empty or 1000), TCP closed");
  WsClient& c = Join();
  MayFail(c.SendCloseEmpty());
  testing::CloseResult r = c.WaitClosed(AfterSeconds(10));
  Observe(r.Describe());
  EXPECT_TRUE(r.got_close_frame) << r.Describe();
  EXPECT_TRUE(r.code == 1005 || r.code == 1000) << r.Describe();
  EXPECT_TRUE(r.tcp_closed) << r.Describe();
}

TEST_F(Close, Case_7_3_2_OneBytePayload) {
  PARLEY_CASE("7.3.2", "Close with a 1-byte payload", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendFrame(op::kClose, "\x03"));
  ExpectClose(c, 1002);
}

TEST_F(Close, Case_7_3_3_CodeWithoutReason) {
  PARLEY_CASE("7.3.3", "Close 1000 without reason", "close 1000 echoed");
  WsClient& c = Join();
  MayFail(c.SendClose(1000));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_3_4_Reason123) {
  PARLEY_CASE("7.3.4", "Close 1000 with a 123-byte reason (125-byte payload)", "close 1000 echoed");
  WsClient& c = Join();
  MayFail(c.SendClose(1000, std::string(123, 'r')));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_3_5_Reason124) {
  PARLEY_CASE("7.3.5", "Close 1000 with a 124-byte reason (126-byte payload)", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendClose(1000, std::string(124, 'r')));
  ExpectClose(c, 1002);
}

TEST_F(Close, Case_7_3_6_Utf8Reason) {
  PARLEY_CASE("7.3.6", "Close 1000 with a valid multi-byte UTF-8 reason", "close 1000 echoed");
  WsClient& c = Join();
  MayFail(c.SendClose(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));
  ExpectClose(c, 1000);
}

TEST_F(Close, Case_7_5_1_InvalidUtf8Reason) {
  PARLEY_CASE("7.5.1", "Close 1000 with an invalid UTF-8 reason", "close 1007");
  WsClient& c = Join();
  MayFail(c.SendClose(1000, "bad \xed\xa0\x80 reason"));
  ExpectClose(c, 1007);
}

class ValidCloseCode : public Close, public ::testing::WithParamInterface<int> {};

TEST_P(ValidCloseCode, Echoed) {
  int code = GetParam();
  PARLEY_CASE("7.7." + std::to_string(code), "Close with valid code " + std::to_string(code),
              "close " + std::to_string(code) + " echoed");
  WsClient& c = Join();
  MayFail(c.SendClose(static_cast<uint16_t>(code)));
  ExpectClose(c, code);
}

INSTANTIATE_TEST_SUITE_P(Codes, ValidCloseCode,
                         ::testing::Values(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
                                           3000, 3999, 4000, 4999));

class InvalidCloseCode : public Close, public ::testing::WithParamInterface<int> {};

TEST_P(InvalidCloseCode, ProtocolError) {
  int code = GetParam();
  PARLEY_CASE("7.9." + std::to_string(code), "Close with invalid code " + std::to_string(code),
              "close 1002");
  WsClient& c = Join();
  MayFail(c.SendClose(static_cast<uint16_t>(code)));
  ExpectClose(c, 1002);
}

INSTANTIATE_TEST_SUITE_P(Codes, InvalidCloseCode,
                         ::testing::Values(0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999,
                                           5000, 65535));

}  // namespace
}  // namespace parley::conformance
