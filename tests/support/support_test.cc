// The test clients' own parsing, checked without a server so a failing integration test
// points at the server, not at the client.
#include <gtest/gtest.h>

#include "http_client.h"
#include "json.h"
#include "server_process.h"
#include "ws_client.h"

namespace parley::testing {
namespace {

TEST(ParseHttpResponse, ContentLengthBodyAndKeepsFollowingBytes) {
  std::string data =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
      "HTTP/1.1 404";
  HttpResponse r;
  size_t used = ParseHttpResponse(data, false, false, &r);
  ASSERT_EQ(used, data.find("HTTP/1.1 404"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.reason, "OK");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.body, "{}");
}

TEST(ParseHttpResponse, ChunkedBody) {
  std::string data =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n";
  HttpResponse r;
  ASSERT_EQ(ParseHttpResponse(data, false, false, &r), data.size());
  EXPECT_EQ(r.body, "Wikipedia");
}

TEST(ParseHttpResponse, WaitsForMissingBytes) {
  HttpResponse r;
  EXPECT_EQ(ParseHttpResponse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", false, false, &r),
            0u);
  EXPECT_EQ(ParseHttpResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab", false,
                              false, &r),
            0u);
  EXPECT_EQ(ParseHttpResponse("HTTP/1.1 200 OK\r\n", false, false, &r), 0u);
}

TEST(ParseHttpResponse, BodyWithoutLengthEndsAtClose) {
  std::string data = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nbad";
  HttpResponse r;
  EXPECT_EQ(ParseHttpResponse(data, false, false, &r), 0u);
  EXPECT_EQ(ParseHttpResponse(data, true, false, &r), data.size());
  EXPECT_EQ(r.body, "bad");
}

TEST(ParseHttpResponse, RejectsGarbage) {
  HttpResponse r;
  EXPECT_EQ(ParseHttpResponse("hello\r\n\r\n", false, false, &r), std::string::npos);
  EXPECT_FALSE(r.error.empty());
}

// Decodes a client frame the way a server would, to check EncodeWsFrame.
struct Decoded {
  uint8_t first;
  uint64_t len;
  std::string payload;
};
Decoded DecodeMasked(const std::string& f) {
  Decoded d{static_cast<uint8_t>(f[0]), static_cast<uint8_t>(f[1]) & 0x7Fu, ""};
  size_t pos = 2;
  if (d.len == 126) {
    d.len = (static_cast<uint8_t>(f[2]) << 8) | static_cast<uint8_t>(f[3]);
    pos = 4;
  } else if (d.len == 127) {
    d.len = 0;
    for (int i = 2; i < 10; ++i) d.len = (d.len << 8) | static_cast<uint8_t>(f[i]);
    pos = 10;
  }
  std::string key = f.substr(pos, 4);
  d.payload = f.substr(pos + 4);
  for (size_t i = 0; i < d.payload.size(); ++i) d.payload[i] ^= key[i % 4];
  return d;
}

TEST(EncodeWsFrame, LengthEncodingsAndMasking) {
  for (size_t n : {0u, 125u, 126u, 127u, 65535u, 65536u}) {
    std::string payload(n, 'x');
    std::string f = EncodeWsFrame(op::kText, payload);
    size_t header = n < 126 ? 2 : (n <= 65535 ? 4 : 10);
    ASSERT_EQ(f.size(), header + 4 + n) << n;
    EXPECT_TRUE(static_cast<uint8_t>(f[1]) & 0x80) << "client frames are masked";
    Decoded d = DecodeMasked(f);
    EXPECT_EQ(d.first, 0x81);
    EXPECT_EQ(d.len, n);
    EXPECT_EQ(d.payload, payload);
  }
}

TEST(EncodeWsFrame, BitsAndUnmasked) {
  std::string f = EncodeWsFrame(op::kPing, "ab", false, kRsv1 | kRsv3, false);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(static_cast<uint8_t>(f[0]), 0x59);
  EXPECT_EQ(static_cast<uint8_t>(f[1]), 0x02);
  EXPECT_EQ(f.substr(2), "ab");
}

TEST(ParseWsFrame, RoundTripsEveryLengthEncoding) {
  for (size_t n : {0u, 1u, 125u, 126u, 127u, 128u, 65535u, 65536u, 70000u}) {
    std::string payload = std::string(n, 'y');
    for (bool mask : {false, true}) {
      std::string bytes = EncodeWsFrame(op::kBinary, payload, false, kRsv2, mask) + "next";
      WsFrame f;
      EXPECT_EQ(ParseWsFrame(std::string_view(bytes).substr(0, bytes.size() - 5), &f), 0u)
          << "incomplete frame, n=" << n;
      ASSERT_EQ(ParseWsFrame(bytes, &f), bytes.size() - 4) << "n=" << n;
      EXPECT_EQ(f.opcode, op::kBinary);
      EXPECT_FALSE(f.fin);
      EXPECT_EQ(f.rsv, kRsv2);
      EXPECT_EQ(f.masked, mask);
      EXPECT_EQ(f.payload, payload) << "n=" << n;
    }
  }
}

TEST(JsonDoc, ReadsFields) {
  auto doc = JsonDoc::Parse(
      R"({"type":"presence","users":["a","b"],"userCount":2,"messages":[{"seq":1},{"seq":2}]})");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->Str("type"), "presence");
  EXPECT_EQ(doc->Int("userCount"), 2);
  EXPECT_EQ(doc->Int("missing"), -1);
  EXPECT_EQ(doc->StrList("users"), (std::vector<std::string>{"a", "b"}));
  auto items = doc->Items("messages");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(JsonDoc::Parse(items[1])->Int("seq"), 2);
  EXPECT_EQ(JsonType(R"({"type":"chat"})"), "chat");
  EXPECT_EQ(JsonType("not json"), "");
}

TEST(JsonQuote, EscapesControlCharacters) {
  EXPECT_EQ(JsonQuote("a\"b\\\n\x01"), R"("a\"b\\\n\u0001")");
}

TEST(ServerProcess, StartFailsWithTheChildsOutputWhenNoListeningLine) {
  ServerProcess server("/bin/echo");  // prints its arguments and exits
  ::testing::AssertionResult started = server.Start({}, std::chrono::seconds(5));
  EXPECT_FALSE(started);
  EXPECT_NE(std::string(started.message()).find("did not print its listening line"),
            std::string::npos)
      << started.message();
  EXPECT_NE(std::string(started.message()).find("--data-dir"), std::string::npos)
      << "the failure shows what the child printed: " << started.message();
  EXPECT_FALSE(server.running());
}

}  // namespace
}  // namespace parley::testing
