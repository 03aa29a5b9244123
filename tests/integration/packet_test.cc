// Binary packets on the native socket (/v1/ws) over real sockets: a message sent as a
// packet is acknowledged and reaches JSON and binary members alike, compressed or not; one
// socket mixes text and packets; damaged, oversized, truncated and future-version packets
// get their error and leave the connection usable.
//
// Packets are made and read here with liblz4 and zlib from the layout in docs/protocol.md,
// independently of parley's codec.
#include <lz4.h>
#include <zlib.h>

#include <cstring>

#include "integration.h"

namespace parley::integration {
namespace {

using testing::JsonQuote;
using testing::WsFrame;

constexpr size_t kHeader = 16;

void PutU32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint32_t GetU32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

uint32_t Crc(std::string_view s) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

std::string Header(uint8_t version, uint8_t flags, uint32_t payload, uint32_t body, uint32_t crc) {
  std::string h = {'P', static_cast<char>(version), static_cast<char>(flags), '\0'};
  PutU32(h, payload);
  PutU32(h, body);
  PutU32(h, crc);
  return h;
}

std::string Lz4(std::string_view s) {
  std::string out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(s.size()))), '\0');
  const int n = LZ4_compress_default(s.data(), out.data(), static_cast<int>(s.size()),
                                     static_cast<int>(out.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Packet(std::string_view json, bool compress = false) {
  if (!compress) return Header(1, 0, json.size(), json.size(), Crc(json)) + std::string(json);
  const std::string body = Lz4(json);
  return Header(1, 1, json.size(), body.size(), Crc(json)) + body;
}

// One message the server sent, in whichever form it came.
struct Received {
  bool binary = false;
  bool compressed = false;
  std::string json;
};

// Reads messages until one whose JSON type is `type`; checks every packet on the way
// (magic, version, lengths, CRC). nullopt on timeout or close.
std::optional<Received> NextOfType(WsClient& c, std::string_view type) {
  const auto deadline = AfterSeconds(10);
  while (true) {
    std::optional<WsFrame> f = c.ReadMessage(deadline);
    if (!f) return std::nullopt;
    Received r;
    if (f->opcode == testing::op::kText) {
      r.json = f->payload;
    } else if (f->opcode == testing::op::kBinary) {
      const std::string& p = f->payload;
      EXPECT_GE(p.size(), kHeader);
      if (p.size() < kHeader) return std::nullopt;
      EXPECT_EQ(p[0], 'P');
      EXPECT_EQ(p[1], 1);
      EXPECT_EQ(p[3], 0);
      const uint32_t payload = GetU32(p, 4);
      const uint32_t body = GetU32(p, 8);
      EXPECT_EQ(body, p.size() - kHeader);
      r.binary = true;
      r.compressed = (p[2] & 1) != 0;
      if (r.compressed) {
        r.json.resize(payload);
        const int n = LZ4_decompress_safe(p.data() + kHeader, r.json.data(), static_cast<int>(body),
                                          static_cast<int>(payload));
        EXPECT_EQ(n, static_cast<int>(payload));
      } else {
        EXPECT_EQ(body, payload);
        r.json = p.substr(kHeader);
      }
      EXPECT_EQ(Crc(r.json), GetU32(p, 12));
    } else if (f->opcode == testing::op::kPing) {
      c.SendPong(f->payload);
      continue;
    } else {
      continue;  // pongs; a close ends the loop at the next read
    }
    if (testing::JsonType(r.json) == type) return r;
  }
}

class PacketTest : public ParleyTest {
 protected:
  WsClient& Native(std::string_view username) {
    clients_.push_back(std::make_unique<WsClient>());
    WsClient& c = *clients_.back();
    EXPECT_TRUE(c.Connect(port(), "/v1/ws?username=" + std::string(username))) << c.error();
    return c;
  }
  static std::string Join(std::string_view room) {
    return R"({"type":"join","room":)" + JsonQuote(room) + "}";
  }
  static std::string Message(std::string_view room, std::string_view text,
                             std::string_view client_id) {
    return R"({"type":"message","room":)" + JsonQuote(room) + R"(,"text":)" + JsonQuote(text) +
           R"(,"clientId":)" + JsonQuote(client_id) + "}";
  }
  // Expects an error frame with `code`, in text or as a packet as `binary` says.
  static void ExpectError(WsClient& c, std::string_view code, bool binary) {
    std::optional<Received> e = NextOfType(c, "error");
    ASSERT_TRUE(e) << "no error frame: " << c.error();
    EXPECT_EQ(e->binary, binary) << e->json;
    EXPECT_EQ(JsonDoc::Parse(e->json)->Str("code"), code) << e->json;
  }
  // The connection still answers: a ping, sent as a packet or as text.
  static void ExpectAlive(WsClient& c, bool as_packet, bool answer_binary) {
    const std::string ping = R"({"type":"ping"})";
    ASSERT_TRUE(as_packet ? c.SendBinary(Packet(ping)) : c.SendText(ping));
    std::optional<Received> pong = NextOfType(c, "pong");
    ASSERT_TRUE(pong) << c.error();
    EXPECT_EQ(pong->binary, answer_binary);
  }

  std::vector<std::unique_ptr<WsClient>> clients_;
};

TEST_F(PacketTest, APacketMessageIsAckedAndReachesJsonAndBinaryMembers) {
  WsClient& alice = Native("alice");  // binary
  WsClient& bob = Native("bob");      // JSON text
  WsClient& carol = Native("carol");  // binary
  ASSERT_TRUE(alice.SendBinary(Packet(Join("lobby"))));
  std::optional<Received> joined = NextOfType(alice, "joined");
  ASSERT_TRUE(joined) << alice.error();
  EXPECT_TRUE(joined->binary);
  ASSERT_TRUE(NextOfType(alice, "presence"));
  ASSERT_TRUE(bob.SendText(Join("lobby")));
  ASSERT_TRUE(NextOfType(bob, "presence"));
  ASSERT_TRUE(carol.SendBinary(Packet(Join("lobby"), /*compress=*/true)));
  ASSERT_TRUE(NextOfType(carol, "presence"));

  // Small: under limits.packet_compress_min_bytes, so sent uncompressed.
  ASSERT_TRUE(alice.SendBinary(Packet(Message("lobby", "hello in binary", "b-1"))));
  std::optional<Received> ack = NextOfType(alice, "ack");
  ASSERT_TRUE(ack) << alice.error();
  EXPECT_TRUE(ack->binary);
  EXPECT_FALSE(ack->compressed);
  EXPECT_EQ(JsonDoc::Parse(ack->json)->Str("clientId"), "b-1");
  std::optional<Received> at_bob = NextOfType(bob, "chat");
  ASSERT_TRUE(at_bob) << bob.error();
  EXPECT_FALSE(at_bob->binary);
  EXPECT_EQ(JsonDoc::Parse(at_bob->json)->Str("message"), "hello in binary");
  std::optional<Received> at_carol = NextOfType(carol, "chat");
  ASSERT_TRUE(at_carol) << carol.error();
  EXPECT_TRUE(at_carol->binary);
  EXPECT_FALSE(at_carol->compressed);
  EXPECT_EQ(at_carol->json, at_bob->json) << "the same message in both formats";

  // Large: compressed both ways.
  std::string long_text;
  while (long_text.size() < 3000) long_text += "all work and no play makes a dull chat. ";
  ASSERT_TRUE(alice.SendBinary(Packet(Message("lobby", long_text, "b-2"), /*compress=*/true)));
  ack = NextOfType(alice, "ack");
  ASSERT_TRUE(ack);
  EXPECT_EQ(JsonDoc::Parse(ack->json)->Int("seq"), 2);
  at_carol = NextOfType(carol, "chat");
  ASSERT_TRUE(at_carol);
  EXPECT_TRUE(at_carol->compressed);
  EXPECT_EQ(JsonDoc::Parse(at_carol->json)->Str("message"), long_text);
  at_bob = NextOfType(bob, "chat");
  ASSERT_TRUE(at_bob);
  EXPECT_EQ(at_bob->json, at_carol->json);
  // And the message a text client sends reaches the binary ones as a packet.
  ASSERT_TRUE(bob.SendText(Message("lobby", "from json", "t-1")));
  at_carol = NextOfType(carol, "chat");
  ASSERT_TRUE(at_carol);
  EXPECT_TRUE(at_carol->binary);
  EXPECT_EQ(JsonDoc::Parse(at_carol->json)->Str("message"), "from json");
}

TEST_F(PacketTest, OneSocketMixesTextAndPacketsAndAnswersInPacketsOnceItSentOne) {
  WsClient& c = Native("mixer");
  ExpectAlive(c, /*as_packet=*/false, /*answer_binary=*/false);
  ExpectAlive(c, /*as_packet=*/true, /*answer_binary=*/true);
  ExpectAlive(c, /*as_packet=*/false, /*answer_binary=*/true);
  // A JSON error inside a valid packet is an ordinary protocol error.
  ASSERT_TRUE(c.SendBinary(Packet(R"({"type":"dance"})")));
  ExpectError(c, "unknown_type", /*binary=*/true);
}

TEST_F(PacketTest, ADamagedPacketGetsBadChecksumAndTheConnectionStays) {
  WsClient& c = Native("alice");
  std::string p = Packet(R"({"type":"ping"})");
  p[kHeader + 2] ^= 0x01;
  ASSERT_TRUE(c.SendBinary(p));
  ExpectError(c, "bad_checksum", /*binary=*/false);
  ExpectAlive(c, /*as_packet=*/true, /*answer_binary=*/true);
  // Once the socket reads packets, its errors come as packets too.
  ASSERT_TRUE(c.SendBinary(p));
  ExpectError(c, "bad_checksum", /*binary=*/true);
}

TEST_F(PacketTest, ADecompressionBombIsRefusedOnItsDeclaredSize) {
  WsClient& c = Native("alice");
  // 8 MiB of the same byte: about 32 KiB of LZ4, declared as what it is.
  const std::string huge(8 << 20, 'x');
  const std::string body = Lz4(huge);
  ASSERT_LT(body.size(), 65536u - kHeader) << "fits in one WebSocket message";
  ASSERT_TRUE(c.SendBinary(Header(1, 1, huge.size(), body.size(), Crc(huge)) + body));
  ExpectError(c, "packet_too_large", /*binary=*/false);
  // Declaring little and carrying a bomb: the decompressor stops at the declared size.
  const std::string lie = Header(1, 1, 64, body.size(), Crc(huge.substr(0, 64))) + body;
  ASSERT_TRUE(c.SendBinary(lie));
  ExpectError(c, "bad_packet", /*binary=*/false);
  ExpectAlive(c, /*as_packet=*/false, /*answer_binary=*/false);
}

TEST_F(PacketTest, AnUnknownVersionAndATruncatedPacketAreNamed) {
  WsClient& c = Native("alice");
  const std::string ping = R"({"type":"ping"})";
  ASSERT_TRUE(c.SendBinary(Header(2, 0, ping.size(), ping.size(), Crc(ping)) + ping));
  ExpectError(c, "unsupported_version", /*binary=*/false);
  ASSERT_TRUE(c.SendBinary(Packet(ping).substr(0, kHeader + 4)));
  ExpectError(c, "truncated_packet", /*binary=*/false);
  ASSERT_TRUE(c.SendBinary("P\x01"));
  ExpectError(c, "truncated_packet", /*binary=*/false);
  ExpectAlive(c, /*as_packet=*/true, /*answer_binary=*/true);
}

}  // namespace
}  // namespace parley::integration
