// A WebSocket client for tests, written independently of parley's own codec so that it
// checks the server against RFC 6455 rather than against itself. Sends masked frames as a
// client must, and can also send anything a broken client might (bad bits, unmasked
// frames, raw bytes, byte-by-byte writes).
//
// Not thread-safe; one test thread owns a client. Every read takes a deadline.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "http_client.h"
#include "tcp.h"

namespace parley::testing {

namespace op {
inline constexpr uint8_t kContinuation = 0x0;
inline constexpr uint8_t kText = 0x1;
inline constexpr uint8_t kBinary = 0x2;
inline constexpr uint8_t kClose = 0x8;
inline constexpr uint8_t kPing = 0x9;
inline constexpr uint8_t kPong = 0xA;
}  // namespace op

// RSV bits as they sit in the first header byte.
inline constexpr uint8_t kRsv1 = 0x40;
inline constexpr uint8_t kRsv2 = 0x20;
inline constexpr uint8_t kRsv3 = 0x10;

struct WsFrame {
  uint8_t opcode = 0;
  bool fin = true;
  uint8_t rsv = 0;      // RSV bits as in the header byte (kRsv1 | ...)
  bool masked = false;  // a server must never mask
  std::string payload;
};

// How a close handshake ended, as seen by the client.
struct CloseResult {
  bool got_close_frame = false;  // the server sent a close frame
  int code = 0;                  // its code; 1005 when it had no body
  std::string reason;
  bool tcp_closed = false;  // the server closed the TCP connection afterwards
  std::string error;        // timeout or protocol trouble while waiting

  // One line for test failure messages.
  std::string Describe() const;
};

// Builds one client frame. `mask` false leaves it unmasked (a protocol violation).
// `length_override`, when set, is written as the payload length instead of the real one.
std::string EncodeWsFrame(uint8_t opcode, std::string_view payload, bool fin = true,
                          uint8_t rsv = 0, bool mask = true,
                          std::optional<uint64_t> length_override = std::nullopt);
// Parses one frame (masked or not) from the front of `data`. Returns its size, or 0 when
// `data` does not hold a whole frame yet.
size_t ParseWsFrame(std::string_view data, WsFrame* out);

// Sec-WebSocket-Accept for `key`: base64(SHA-1(key + RFC 6455 GUID)).
std::string WsAcceptKey(std::string_view key);
// A close frame payload: 2-byte code then reason.
std::string ClosePayload(uint16_t code, std::string_view reason = "");

class WsClient {
 public:
  // Opens a TCP connection and performs the opening handshake for `target`
  // (e.g. "/ws?username=alice&room=general"). Checks 101, Upgrade, Connection and
  // Sec-WebSocket-Accept. On failure returns false; `response()` holds what came back
  // and `error()` says why.
  bool Connect(uint16_t port, std::string_view target, Deadline deadline = AfterSeconds(10));
  // The same, with preformatted request header lines ("Origin: https://x\r\n").
  bool Connect(uint16_t port, std::string_view target, Deadline deadline,
               std::string_view raw_headers);
  // The same, with more request headers (Authorization, Cookie ...).
  bool Connect(uint16_t port, std::string_view target, const Headers& extra_headers,
               Deadline deadline = AfterSeconds(10), std::string_view raw_headers = {});

  bool SendText(std::string_view text);
  bool SendBinary(std::string_view data);
  bool SendPing(std::string_view payload = "");
  bool SendPong(std::string_view payload = "");
  bool SendClose(uint16_t code, std::string_view reason = "");
  bool SendCloseEmpty();
  bool SendFrame(uint8_t opcode, std::string_view payload, bool fin = true, uint8_t rsv = 0,
                 bool mask = true);
  bool SendRaw(std::string_view bytes);
  bool SendRawBytewise(std::string_view bytes);

  // Reads one frame as it comes off the wire (no reassembly, no automatic replies).
  std::optional<WsFrame> ReadFrame(Deadline deadline);
  // Reads one message: control frames come back as they are; text/binary fragments are
  // joined into one frame with fin set.
  std::optional<WsFrame> ReadMessage(Deadline deadline);
  // Reads until a control frame (ping, pong, close) and returns it. Data messages that
  // arrive first are kept, in order, for the next ReadMessage / ReadUntilType.
  std::optional<WsFrame> ReadControl(Deadline deadline);
  // Reads messages until a text message whose JSON "type" equals `type`, skipping others
  // (server pings are answered). Returns its payload, or nullopt on timeout, close or
  // error (error() says which).
  std::optional<std::string> ReadUntilType(std::string_view type, Deadline deadline);
  // Reads until a "chat" frame arrives and returns its payload.
  std::optional<std::string> ReadChat(Deadline deadline) { return ReadUntilType("chat", deadline); }
  // Reads (and drops) messages until the server's close frame, then waits for the TCP
  // connection to end. Does not send a close back.
  CloseResult WaitClosed(Deadline deadline);

  // Every way the server's frames broke RFC 6455 so far (masked frame, RSV bit set,
  // unknown opcode, fragmented or oversized control frame), one per line; empty if none.
  const std::string& violations() const { return violations_; }

  const HttpResponse& response() const { return response_; }
  const std::string& error() const { return error_; }
  TcpConn& conn() { return conn_; }

 private:
  void NoteViolations(const WsFrame& f);
  // ReadMessage without the stash: the next message off the wire.
  std::optional<WsFrame> ReadWireMessage(Deadline deadline);

  TcpConn conn_;
  HttpResponse response_;
  std::string error_;
  std::string violations_;
  // A fragmented message being assembled by ReadMessage.
  std::optional<WsFrame> partial_;
  // Data messages read past by ReadControl, oldest first.
  std::deque<WsFrame> stashed_;
};

// The JSON "type" of a text frame, or "" when it is not an object with a string type.
std::string JsonType(std::string_view json);

}  // namespace parley::testing
