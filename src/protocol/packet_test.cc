#include "protocol/packet.h"

#include <gtest/gtest.h>
#include <lz4.h>

#include <string>

#include "protocol/shared_frame.h"

namespace parley::packet {
namespace {

std::string Repeated(size_t n) {
  std::string s;
  while (s.size() < n) s += R"({"type":"message","room":"general","text":"hello"})";
  s.resize(n);
  return s;
}

// A header written by hand, for packets the encoder would never make.
std::string RawHeader(uint8_t version, uint8_t flags, uint32_t payload, uint32_t body,
                      uint32_t crc) {
  std::string h(kHeaderBytes, '\0');
  h[0] = static_cast<char>(kMagic);
  h[1] = static_cast<char>(version);
  h[2] = static_cast<char>(flags);
  for (int i = 0; i < 4; ++i) {
    h[4 + i] = static_cast<char>(payload >> (8 * i));
    h[8 + i] = static_cast<char>(body >> (8 * i));
    h[12 + i] = static_cast<char>(crc >> (8 * i));
  }
  return h;
}

ErrorCode CodeOf(std::string_view packet, size_t limit = 65536) {
  Result<std::string> r = DecodePacket(packet, limit);
  return r.ok() ? ErrorCode::kOk : r.status().code();
}

TEST(PacketTest, SmallPayloadIsSentAsItIsWithTheDocumentedHeader) {
  const std::string json = R"({"type":"ping"})";
  const std::string p = EncodePacket(json, 512);
  // 'P', version 1, no flags, reserved; payload 15, body 15, CRC-32 0x497c309c (LE).
  const std::string header("\x50\x01\x00\x00\x0f\x00\x00\x00\x0f\x00\x00\x00\x9c\x30\x7c\x49", 16);
  EXPECT_EQ(p, header + json);
  Result<std::string> back = DecodePacket(p, 65536);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, json);
}

TEST(PacketTest, PayloadFromTheThresholdOnIsCompressed) {
  const std::string json = Repeated(2000);
  const std::string p = EncodePacket(json, 512);
  Header h;
  ASSERT_TRUE(ReadHeader(p, &h));
  EXPECT_EQ(h.flags, kFlagLz4);
  EXPECT_EQ(h.payload_bytes, 2000u);
  EXPECT_EQ(h.body_bytes, p.size() - kHeaderBytes);
  EXPECT_LT(p.size(), json.size() / 4);
  Result<std::string> back = DecodePacket(p, 65536);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, json);
}

TEST(PacketTest, BelowTheThresholdOrWithThresholdZeroNothingIsCompressed) {
  const std::string json = Repeated(2000);
  Header h;
  ASSERT_TRUE(ReadHeader(EncodePacket(json, 2001), &h));
  EXPECT_EQ(h.flags, 0);
  ASSERT_TRUE(ReadHeader(EncodePacket(json, 0), &h));
  EXPECT_EQ(h.flags, 0);
  ASSERT_TRUE(ReadHeader(EncodePacket(json, 2000), &h));
  EXPECT_EQ(h.flags, kFlagLz4);
}

TEST(PacketTest, IncompressiblePayloadStaysRaw) {
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1103515245 + 12345;
    noise += static_cast<char>(x >> 24);
  }
  const std::string p = EncodePacket(noise, 1);
  EXPECT_EQ(p.size(), kHeaderBytes + noise.size());
  EXPECT_EQ(p[2], 0);
  EXPECT_EQ(*DecodePacket(p, 65536), noise);
}

TEST(PacketTest, EmptyPayloadRoundTrips) {
  EXPECT_EQ(*DecodePacket(EncodePacket("", 1), 10), "");
  EXPECT_EQ(*DecodePacket(EncodePacket("", 0), 10), "");
}

TEST(PacketTest, ShortPacketsAreTruncated) {
  const std::string p = EncodePacket(R"({"type":"ping"})", 0);
  EXPECT_EQ(CodeOf(""), ErrorCode::kTruncatedPacket);
  EXPECT_EQ(CodeOf(p.substr(0, 15)), ErrorCode::kTruncatedPacket);
  EXPECT_EQ(CodeOf(p.substr(0, p.size() - 1)), ErrorCode::kTruncatedPacket);
  const std::string z = EncodePacket(Repeated(3000), 1);
  EXPECT_EQ(CodeOf(z.substr(0, z.size() - 3)), ErrorCode::kTruncatedPacket);
}

TEST(PacketTest, AnUnknownVersionIsRefusedByName) {
  std::string p = EncodePacket(R"({"type":"ping"})", 0);
  p[1] = 2;
  Result<std::string> r = DecodePacket(p, 65536);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(r.status().message(), "Packet version 2 is not supported; parley speaks version 1.");
}

TEST(PacketTest, MalformedHeadersAndBodiesAreBadPackets) {
  const std::string good = EncodePacket(R"({"type":"ping"})", 0);
  std::string p = good;
  p[0] = '{';
  EXPECT_EQ(CodeOf(p), ErrorCode::kBadPacket) << "magic";
  p = good;
  p[2] = 0x02;
  EXPECT_EQ(CodeOf(p), ErrorCode::kBadPacket) << "reserved flag";
  p = good;
  p[3] = 1;
  EXPECT_EQ(CodeOf(p), ErrorCode::kBadPacket) << "reserved byte";
  EXPECT_EQ(CodeOf(good + "x"), ErrorCode::kBadPacket) << "trailing byte";
  // Raw body whose length differs from the payload length.
  EXPECT_EQ(CodeOf(RawHeader(1, 0, 3, 2, Crc32("ab")) + "ab"), ErrorCode::kBadPacket);
  // A compressed flag on bytes that are no LZ4 block.
  EXPECT_EQ(CodeOf(RawHeader(1, kFlagLz4, 5, 5, Crc32("hello")) + "hello"), ErrorCode::kBadPacket);
}

TEST(PacketTest, ADamagedPayloadFailsTheChecksum) {
  std::string p = EncodePacket(R"({"type":"ping"})", 0);
  p[kHeaderBytes + 3] ^= 0x20;
  EXPECT_EQ(CodeOf(p), ErrorCode::kBadChecksum);
  std::string z = EncodePacket(Repeated(3000), 1);
  z[12] ^= 1;  // the CRC field itself
  EXPECT_EQ(CodeOf(z), ErrorCode::kBadChecksum);
}

TEST(PacketTest, ADeclaredSizeOverTheLimitIsRefusedBeforeDecompressing) {
  // 1 MiB of zeros compresses to about 4 KiB: a bomb against a 64 KiB limit.
  const std::string zeros(1 << 20, '\0');
  const std::string bomb = EncodePacket(zeros, 1);
  ASSERT_LT(bomb.size(), 8192u);
  Result<std::string> r = DecodePacket(bomb, 65536);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kPacketTooLarge);
  EXPECT_EQ(r.status().message(),
            "A packet's payload is at most 65536 bytes; this one declares 1048576.");
  // The largest declarable size, with a tiny body.
  EXPECT_EQ(CodeOf(RawHeader(1, kFlagLz4, 0xFFFFFFFF, 1, 0) + std::string(1, '\0')),
            ErrorCode::kPacketTooLarge);
  // Exactly at the limit is accepted.
  EXPECT_TRUE(DecodePacket(EncodePacket(std::string(65536, 'a'), 1), 65536).ok());
}

TEST(PacketTest, ABodyThatWouldDecompressPastItsDeclaredSizeIsRefused) {
  // The header lies: it declares 100 bytes for a block that decodes to 1 MiB. The
  // decompressor stops at 100 bytes of output.
  const std::string zeros(1 << 20, '\0');
  std::string block(static_cast<size_t>(LZ4_compressBound(1 << 20)), '\0');
  const int n =
      LZ4_compress_default(zeros.data(), block.data(), 1 << 20, static_cast<int>(block.size()));
  ASSERT_GT(n, 0);
  block.resize(static_cast<size_t>(n));
  const std::string lie =
      RawHeader(1, kFlagLz4, 100, static_cast<uint32_t>(n), Crc32(std::string(100, '\0'))) + block;
  EXPECT_EQ(CodeOf(lie), ErrorCode::kBadPacket);
}

TEST(PacketTest, TextFramesBecomePacketFramesOfTheSamePayload) {
  for (size_t n : {10u, 125u, 126u, 5000u, 70000u}) {
    const std::string json = Repeated(n);
    SharedFrame text = MakeTextFrame(json);
    SharedFrame bin = TextToPacketFrame(text, 512);
    ASSERT_NE(bin, text);
    const std::string expected = ws::EncodeFrame(ws::Opcode::kBinary, EncodePacket(json, 512));
    EXPECT_EQ(*bin, expected) << n;
  }
  SharedFrame close = std::make_shared<const std::string>(ws::EncodeClose(1000, "bye"));
  EXPECT_EQ(TextToPacketFrame(close, 512), close);
  SharedFrame binary = MakePacketFrame("{}", 512);
  EXPECT_EQ(TextToPacketFrame(binary, 512), binary);
}

}  // namespace
}  // namespace parley::packet
