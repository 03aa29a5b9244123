// Autobahn families 9 (sizes and limits) and 10 (how bytes arrive over TCP), plus the
// opening handshake (RFC 6455 section 4) as family 0.
#include "conformance.h"
#include "http_client.h"
#include "json.h"

namespace parley::conformance {
namespace {

using testing::AfterSeconds;
using testing::EncodeWsFrame;

// --- 9 limits ----------------------------------------------------------------------

TEST_F(Limits, Case_9_1_Text4096) {
  PARLEY_CASE("9.1", "Text of exactly 4096 bytes (the chat cap)", "delivered");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendText(Text(4096)));
  ExpectChat(c, Text(4096));
}

TEST_F(Limits, Case_9_2_Text4097) {
  PARLEY_CASE("9.2", "Text of 4097 bytes", "error frame message_too_large, connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendText(Text(4097)));
  ExpectError(c, "message_too_large");
  ExpectAlive(c);
}

TEST_F(Limits, Case_9_3_MultiByte4096) {
  PARLEY_CASE("9.3", "Text of 2048 two-byte characters (4096 bytes)",
              "delivered (the cap counts bytes)");
  WsClient& c = Join();
  std::string text;
  for (int i = 0; i < 2048; ++i) text += "\xc3\xa9";
  ASSERT_TRUE(c.SendText(text));
  ExpectChat(c, text);
}

TEST_F(Limits, Case_9_4_Message65536) {
  PARLEY_CASE("9.4", "Text message of exactly 65536 bytes (the message limit)",
              "error frame message_too_large, connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendText(Text(65536)));
  ExpectError(c, "message_too_large");
  ExpectAlive(c);
}

TEST_F(Limits, Case_9_5_Message65537) {
  PARLEY_CASE("9.5", "Text message of 65537 bytes in one frame", "close 1009");
  WsClient& c = Join();
  MayFail(c.SendText(Text(65537)));
  ExpectClose(c, 1009);
}

TEST_F(Limits, Case_9_6_Message65537InTwoFragments) {
  PARLEY_CASE("9.6", "Text message of 65537 bytes in 2 fragments", "close 1009");
  WsClient& c = Join();
  MayFail(c.SendRaw(EncodeWsFrame(op::kText, Text(32768), false) +
                    EncodeWsFrame(op::kContinuation, Text(32769), true)));
  ExpectClose(c, 1009);
}

TEST_F(Limits, Case_9_7_ManySmallFragmentsOverLimit) {
  PARLEY_CASE("9.7", "Text message of 65 fragments of 1024 bytes (66560 bytes)", "close 1009");
  WsClient& c = Join();
  std::string bytes;
  for (int i = 0; i < 65; ++i) {
    bytes += EncodeWsFrame(i == 0 ? op::kText : op::kContinuation, Text(1024), i == 64);
  }
  MayFail(c.SendRaw(bytes));
  ExpectClose(c, 1009);
}

TEST_F(Limits, Case_9_8_FragmentsAtLimit) {
  PARLEY_CASE("9.8", "Text message of 64 fragments of 1024 bytes (exactly 65536 bytes)",
              "error frame message_too_large, connection stays");
  WsClient& c = Join();
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    bytes += EncodeWsFrame(i == 0 ? op::kText : op::kContinuation, Text(1024), i == 63);
  }
  ASSERT_TRUE(c.SendRaw(bytes));
  ExpectError(c, "message_too_large");
  ExpectAlive(c);
}

TEST_F(Limits, Case_9_9_Binary65537) {
  PARLEY_CASE("9.9", "Binary message of 65537 bytes", "close 1009");
  WsClient& c = Join();
  MayFail(c.SendBinary(std::string(65537, 'b')));
  ExpectClose(c, 1009);
}

TEST_F(Limits, Case_9_10_HugeLengthHeaderOnly) {
  PARLEY_CASE("9.10", "Frame header announcing 2^40 bytes, no payload sent",
              "close 1009 as soon as the header arrives");
  WsClient& c = Join();
  std::string frame = EncodeWsFrame(op::kText, "", true, 0, true, uint64_t{1} << 40);
  MayFail(c.SendRaw(frame));
  ExpectClose(c, 1009);
}

TEST_F(Limits, Case_9_11_UnmaskedText) {
  PARLEY_CASE("9.11", "Unmasked text frame from the client", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendFrame(op::kText, "not masked", true, 0, /*mask=*/false));
  ExpectClose(c, 1002);
}

TEST_F(Limits, Case_9_12_UnmaskedPing) {
  PARLEY_CASE("9.12", "Unmasked ping from the client", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendFrame(op::kPing, "not masked", true, 0, /*mask=*/false));
  ExpectClose(c, 1002);
}

// --- 10 transport ------------------------------------------------------------------

TEST_F(Transport, Case_10_1_ManyMessagesOneWrite) {
  PARLEY_CASE("10.1", "50 text messages in one TCP write",
              "50 chat messages in order, seq strictly increasing");
  WsClient& c = Join();
  std::string bytes;
  for (int i = 0; i < 50; ++i) bytes += EncodeWsFrame(op::kText, "burst " + std::to_string(i));
  ASSERT_TRUE(c.SendRaw(bytes));
  int64_t last_seq = 0;
  for (int i = 0; i < 50; ++i) {
    std::optional<std::string> chat = c.ReadChat(AfterSeconds(10));
    ASSERT_TRUE(chat) << "after " << i << " messages: " << c.error();
    auto doc = testing::JsonDoc::Parse(*chat);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->Str("message"), "burst " + std::to_string(i));
    EXPECT_GT(doc->Int("seq"), last_seq);
    last_seq = doc->Int("seq");
  }
  Observe("50 delivered in order");
}

TEST_F(Transport, Case_10_2_FrameBytewise) {
  PARLEY_CASE("10.2", "A 300-byte text frame, one byte per TCP write", "delivered");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendRawBytewise(EncodeWsFrame(op::kText, Text(300))));
  ExpectChat(c, Text(300));
}

TEST_F(Transport, Case_10_3_HeaderAndPayloadApart) {
  PARLEY_CASE("10.3", "Frame header in one write, mask and payload in a second", "delivered");
  WsClient& c = Join();
  std::string frame = EncodeWsFrame(op::kText, Text(1000));
  ASSERT_TRUE(c.SendRaw(frame.substr(0, 4)));
  ASSERT_TRUE(c.SendRaw(frame.substr(4)));
  ExpectChat(c, Text(1000));
}

TEST_F(Transport, Case_10_4_ControlAndDataInOneWrite) {
  PARLEY_CASE("10.4", "Ping, text, ping in one TCP write", "2 pongs in order and the chat message");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendRaw(EncodeWsFrame(op::kPing, "one") + EncodeWsFrame(op::kText, "between") +
                        EncodeWsFrame(op::kPing, "two")));
  ExpectPong(c, "one");
  ExpectPong(c, "two");
  ExpectChat(c, "between");
}

// --- 0 opening handshake ---------------------------------------------------------------

std::string Upgrade(std::string_view extra_headers) {
  return "GET /ws?username=hs&room=handshake HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         std::string(extra_headers) + "\r\n";
}

TEST_F(Transport, Case_0_1_HeaderCaseAndTokenLists) {
  PARLEY_CASE("0.1", "Upgrade with mixed-case header names/values and a Connection token list",
              "101 with the right Sec-WebSocket-Accept");
  testing::HttpClient http(port());
  const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
  ASSERT_TRUE(
      http.SendRaw(Upgrade("upgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
                           "sec-websocket-key: " +
                           key + "\r\nSEC-WEBSOCKET-VERSION: 13\r\n")));
  testing::HttpResponse r = http.ReadResponse(AfterSeconds(10), /*head_only=*/true);
  Observe("HTTP " + std::to_string(r.status));
  EXPECT_EQ(r.status, 101) << r.error << r.body;
  EXPECT_EQ(r.Header("Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_F(Transport, Case_0_2_WrongVersion) {
  PARLEY_CASE("0.2", "Upgrade with Sec-WebSocket-Version: 8", "426 with Sec-WebSocket-Version: 13");
  testing::HttpClient http(port());
  ASSERT_TRUE(
      http.SendRaw(Upgrade("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 8\r\n")));
  testing::HttpResponse r = http.ReadResponse();
  Observe("HTTP " + std::to_string(r.status));
  EXPECT_EQ(r.status, 426) << r.error << r.body;
  EXPECT_EQ(r.Header("Sec-WebSocket-Version"), "13");
}

TEST_F(Transport, Case_0_3_MissingKey) {
  PARLEY_CASE("0.3", "Upgrade without Sec-WebSocket-Key", "400, no upgrade");
  testing::HttpClient http(port());
  ASSERT_TRUE(
      http.SendRaw(Upgrade("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Version: 13\r\n")));
  testing::HttpResponse r = http.ReadResponse();
  Observe("HTTP " + std::to_string(r.status));
  EXPECT_EQ(r.status, 400) << r.error << r.body;
}

TEST_F(Transport, Case_0_4_BadKey) {
  PARLEY_CASE("0.4", "Upgrade with a Sec-WebSocket-Key that is not 16 base64 bytes",
              "400, no upgrade");
  testing::HttpClient http(port());
  ASSERT_TRUE(
      http.SendRaw(Upgrade("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n")));
  testing::HttpResponse r = http.ReadResponse();
  Observe("HTTP " + std::to_string(r.status));
  EXPECT_EQ(r.status, 400) << r.error << r.body;
}

}  // namespace
}  // namespace parley::conformance
