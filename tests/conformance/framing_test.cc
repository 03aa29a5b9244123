// Autobahn families 1 (framing), 2 (pings and pongs), 3 (reserved bits), 4 (opcodes).
#include "conformance.h"
#include "tcp.h"

namespace parley::conformance {
namespace {

using parley::testing::AfterSeconds;

// Writes `bytes` in chunks of `chunk` bytes, one write(2) each.
bool WriteChunked(WsClient& c, const std::string& bytes, size_t chunk) {
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    if (!c.conn().WriteAll(std::string_view(bytes).substr(at, chunk), AfterSeconds(10))) {
      return false;
    }
  }
  return true;
}

// --- 1.1 text messages -------------------------------------------------------------

TEST_F(Framing, Case_1_1_1_TextEmpty) {
  PARLEY_CASE("1.1.1", "Text message, 0 bytes", "error frame empty_message, connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendText(""));
  ExpectError(c, "empty_message");
  ExpectAlive(c);
}

class TextLength : public Framing, public ::testing::WithParamInterface<size_t> {};

TEST_P(TextLength, Delivered) {
  static const char* kIds[] = {"1.1.2", "1.1.3", "1.1.4", "1.1.5"};
  size_t n = GetParam();
  size_t i = n == 125 ? 0 : n == 126 ? 1 : n == 127 ? 2 : 3;
  PARLEY_CASE(kIds[i], "Text message, " + std::to_string(n) + " bytes",
              "delivered as one chat message");
  WsClient& c = Join();
  std::string text = Text(n);
  ASSERT_TRUE(c.SendText(text));
  ExpectChat(c, text);
}
INSTANTIATE_TEST_SUITE_P(Lengths, TextLength, ::testing::Values(125, 126, 127, 4096));

TEST_F(Framing, Case_1_1_6_Text65535) {
  PARLEY_CASE("1.1.6", "Text message, 65535 bytes (16-bit length, over the 4096-byte chat cap)",
              "error frame message_too_large, connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendText(Text(65535)));
  ExpectError(c, "message_too_large");
  ExpectAlive(c);
}

TEST_F(Framing, Case_1_1_7_Text65536) {
  PARLEY_CASE("1.1.7", "Text message, 65536 bytes (64-bit length, exactly the message limit)",
              "error frame message_too_large, connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendText(Text(65536)));
  ExpectError(c, "message_too_large");
  ExpectAlive(c);
}

TEST_F(Framing, Case_1_1_8_TextChunkedWrites) {
  PARLEY_CASE("1.1.8", "Text message, 4096 bytes, written in 997-byte chunks",
              "delivered as one chat message");
  WsClient& c = Join();
  std::string text = Text(4096);
  ASSERT_TRUE(WriteChunked(c, testing::EncodeWsFrame(op::kText, text), 997));
  ExpectChat(c, text);
}

// --- 1.2 binary messages -----------------------------------------------------------

class BinaryLength : public Framing, public ::testing::WithParamInterface<size_t> {};

TEST_P(BinaryLength, Refused) {
  static const size_t kLengths[] = {0, 125, 126, 127, 65535, 65536};
  size_t n = GetParam();
  size_t i = std::find(std::begin(kLengths), std::end(kLengths), n) - std::begin(kLengths);
  PARLEY_CASE("1.2." + std::to_string(i + 1), "Binary message, " + std::to_string(n) + " bytes",
              "error frame bad_request (chat is text), connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendBinary(std::string(n, '\xfe')));
  ExpectError(c, "bad_request");
  ExpectAlive(c);
}
INSTANTIATE_TEST_SUITE_P(Lengths, BinaryLength, ::testing::Values(0, 125, 126, 127, 65535, 65536));

TEST_F(Framing, Case_1_2_7_BinaryChunkedWrites) {
  PARLEY_CASE("1.2.7", "Binary message, 65536 bytes, written in 997-byte chunks",
              "error frame bad_request, connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(WriteChunked(c, testing::EncodeWsFrame(op::kBinary, std::string(65536, 'b')), 997));
  ExpectError(c, "bad_request");
  ExpectAlive(c);
}

// --- 2 pings and pongs -------------------------------------------------------------

TEST_F(Pings, Case_2_1_PingEmpty) {
  PARLEY_CASE("2.1", "Ping without payload", "pong without payload");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendPing(""));
  ExpectPong(c, "");
}

TEST_F(Pings, Case_2_2_PingText) {
  PARLEY_CASE("2.2", "Ping with a small text payload", "pong with the same payload");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendPing("Hello, world!"));
  ExpectPong(c, "Hello, world!");
}

TEST_F(Pings, Case_2_3_PingBinary) {
  PARLEY_CASE("2.3", "Ping with a binary payload (0x00 0xff 0xfe 0xfd 0xfc 0xfb 0x00 0xff)",
              "pong with the same payload");
  WsClient& c = Join();
  std::string payload("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8);
  ASSERT_TRUE(c.SendPing(payload));
  ExpectPong(c, payload);
}

TEST_F(Pings, Case_2_4_Ping125) {
  PARLEY_CASE("2.4", "Ping with a 125-byte payload", "pong with the same payload");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendPing(std::string(125, '\xfe')));
  ExpectPong(c, std::string(125, '\xfe'));
}

TEST_F(Pings, Case_2_5_Ping126) {
  PARLEY_CASE("2.5", "Ping with a 126-byte payload (control frames max 125)", "close 1002");
  WsClient& c = Join();
  MayFail(c.SendPing(std::string(126, '\xfe')));
  ExpectClose(c, 1002);
}

TEST_F(Pings, Case_2_6_Ping125Bytewise) {
  PARLEY_CASE("2.6", "Ping with a 125-byte payload, sent one byte per TCP write",
              "pong with the same payload");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendRawBytewise(testing::EncodeWsFrame(op::kPing, std::string(125, 'p'))));
  ExpectPong(c, std::string(125, 'p'));
}

TEST_F(Pings, Case_2_7_UnsolicitedPongEmpty) {
  PARLEY_CASE("2.7", "Unsolicited pong without payload", "ignored; the connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendPong(""));
  ASSERT_TRUE(c.SendPing("after"));
  ExpectPong(c, "after");
  ExpectAlive(c);
}

TEST_F(Pings, Case_2_8_UnsolicitedPongPayload) {
  PARLEY_CASE("2.8", "Unsolicited pong with payload", "ignored; the connection stays");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendPong("unsolicited pong payload"));
  ASSERT_TRUE(c.SendPing("after"));
  ExpectPong(c, "after");
  ExpectAlive(c);
}

TEST_F(Pings, Case_2_9_UnsolicitedPongThenPing) {
  PARLEY_CASE("2.9", "Unsolicited pong, then ping with payload",
              "only the ping is answered, with its payload");
  WsClient& c = Join();
  ASSERT_TRUE(c.SendRaw(testing::EncodeWsFrame(op::kPong, "unsolicited") +
                        testing::EncodeWsFrame(op::kPing, "solicited")));
  ExpectPong(c, "solicited");
  ExpectAlive(c);
}

TEST_F(Pings, Case_2_10_TenPings) {
  PARLEY_CASE("2.10", "10 pings in a row, one TCP write", "10 pongs, in order");
  WsClient& c = Join();
  std::string burst;
  for (int i = 0; i < 10; ++i)
    burst += testing::EncodeWsFrame(op::kPing, "ping " + std::to_string(i));
  ASSERT_TRUE(c.SendRaw(burst));
  for (int i = 0; i < 10 && !HasFailure(); ++i) ExpectPong(c, "ping " + std::to_string(i));
}

TEST_F(Pings, Case_2_11_TenPingsBytewise) {
  PARLEY_CASE("2.11", "10 pings in a row, sent one byte per TCP write", "10 pongs, in order");
  WsClient& c = Join();
  std::string burst;
  for (int i = 0; i < 10; ++i)
    burst += testing::EncodeWsFrame(op::kPing, "ping " + std::to_string(i));
  ASSERT_TRUE(c.SendRawBytewise(burst));
  for (int i = 0; i < 10 && !HasFailure(); ++i) ExpectPong(c, "ping " + std::to_string(i));
}

// --- 3 reserved bits (no extension is negotiated, so every RSV bit is an error) -----------

struct RsvCase {
  const char* id;
  const char* description;
  uint8_t opcode;
  uint8_t rsv;
  bool valid_text_first;
  bool bytewise;
};

class RsvBits : public ReservedBits, public ::testing::WithParamInterface<RsvCase> {};

TEST_P(RsvBits, ProtocolError) {
  const RsvCase& k = GetParam();
  PARLEY_CASE(k.id, k.description, "close 1002");
  WsClient& c = Join();
  std::string bytes;
  if (k.valid_text_first) bytes += testing::EncodeWsFrame(op::kText, "before the bad frame");
  std::string payload = k.opcode == op::kClose ? testing::ClosePayload(1000) : "Hello, world!";
  bytes += testing::EncodeWsFrame(k.opcode, payload, true, k.rsv);
  bytes += testing::EncodeWsFrame(op::kPing, "after");
  MayFail(k.bytewise ? c.SendRawBytewise(bytes) : c.SendRaw(bytes));
  ExpectClose(c, 1002);
}

INSTANTIATE_TEST_SUITE_P(
    Bits, RsvBits,
    ::testing::Values(
        RsvCase{"3.1", "Text with RSV1 set", op::kText, kRsv1, false, false},
        RsvCase{"3.2", "Valid text, then text with RSV2 set, then ping", op::kText, kRsv2, true,
                false},
        RsvCase{"3.3", "Valid text, then text with RSV3 set, then ping, one byte per write",
                op::kText, kRsv3, true, true},
        RsvCase{"3.4", "Valid text, then text with RSV1+RSV2 set, then ping, one byte per write",
                op::kText, kRsv1 | kRsv2, true, true},
        RsvCase{"3.5", "Binary with RSV1+RSV3 set", op::kBinary, kRsv1 | kRsv3, false, false},
        RsvCase{"3.6", "Ping with RSV2+RSV3 set", op::kPing, kRsv2 | kRsv3, false, false},
        RsvCase{"3.7", "Close with all RSV bits set", op::kClose, kRsv1 | kRsv2 | kRsv3, false,
                false}));

// --- 4 reserved opcodes -------------------------------------------------------------

class ReservedOpcode : public Opcodes, public ::testing::WithParamInterface<uint8_t> {};

TEST_P(ReservedOpcode, ProtocolError) {
  uint8_t code = GetParam();
  bool control = code >= 0x8;
  std::string id =
      control ? "4.2." + std::to_string(code - 0xA) : "4.1." + std::to_string(code - 2);
  char hex[8];
  std::snprintf(hex, sizeof(hex), "0x%X", code);
  PARLEY_CASE(id,
              std::string("Valid text, then a frame with reserved ") +
                  (control ? "control" : "data") + " opcode " + hex + ", then ping",
              "close 1002");
  WsClient& c = Join();
  MayFail(c.SendRaw(testing::EncodeWsFrame(op::kText, "before the bad frame") +
                    testing::EncodeWsFrame(code, code % 2 ? "reserved payload" : "") +
                    testing::EncodeWsFrame(op::kPing, "after")));
  ExpectClose(c, 1002);
}

INSTANTIATE_TEST_SUITE_P(Reserved, ReservedOpcode,
                         ::testing::Values(0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF));

}  // namespace
}  // namespace parley::conformance
