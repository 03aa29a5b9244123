#include "ws_client.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <random>

#include "json.h"

namespace parley::testing {
namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::mt19937& Rng() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return rng;
}

std::string Base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

}  // namespace

std::string WsAcceptKey(std::string_view key) {
  std::string in = std::string(key) + std::string(kGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  return Base64(digest, sizeof(digest));
}

namespace {

bool ContainsToken(std::string value, std::string_view token) {
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value.find(token) != std::string::npos;
}

}  // namespace

std::string CloseResult::Describe() const {
  std::string s = got_close_frame ? "close frame code=" + std::to_string(code) : "no close frame";
  if (!reason.empty()) s += " reason=\"" + reason + "\"";
  s += tcp_closed ? ", tcp closed" : ", tcp still open";
  if (!error.empty()) s += ", " + error;
  return s;
}

std::string EncodeWsFrame(uint8_t opcode, std::string_view payload, bool fin, uint8_t rsv,
                          bool mask, std::optional<uint64_t> length_override) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (rsv & 0x70) | (opcode & 0x0F)));
  uint64_t len = length_override.value_or(payload.size());
  uint8_t mask_bit = mask ? 0x80 : 0;
  if (len < 126) {
    out.push_back(static_cast<char>(mask_bit | len));
  } else if (len <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(len >> 8));
    out.push_back(static_cast<char>(len & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((len >> shift) & 0xFF));
    }
  }
  if (!mask) {
    out.append(payload);
    return out;
  }
  uint32_t key = Rng()();
  char k[4] = {static_cast<char>(key >> 24), static_cast<char>(key >> 16),
               static_cast<char>(key >> 8), static_cast<char>(key)};
  out.append(k, 4);
  size_t start = out.size();
  out.append(payload);
  for (size_t i = 0; i < payload.size(); ++i) out[start + i] ^= k[i % 4];
  return out;
}

std::string ClosePayload(uint16_t code, std::string_view reason) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xFF));
  p.append(reason);
  return p;
}

bool WsClient::Connect(uint16_t port, std::string_view target, Deadline deadline) {
  return Connect(port, target, Headers{}, deadline);
}

bool WsClient::Connect(uint16_t port, std::string_view target, Deadline deadline,
                       std::string_view raw_headers) {
  return Connect(port, target, Headers{}, deadline, raw_headers);
}

bool WsClient::Connect(uint16_t port, std::string_view target, const Headers& extra_headers,
                       Deadline deadline, std::string_view raw_headers) {
  error_.clear();
  partial_.reset();
  stashed_.clear();
  response_ = HttpResponse{};
  if (!conn_.Connect(port, deadline)) {
    error_ = "tcp connect failed";
    return false;
  }
  unsigned char raw_key[16];
  for (auto& b : raw_key) b = static_cast<unsigned char>(Rng()());
  std::string key = Base64(raw_key, sizeof(raw_key));
  std::string req = "GET " + std::string(target) +
                    " HTTP/1.1\r\n"
                    "Host: 127.0.0.1:" +
                    std::to_string(port) +
                    "\r\n"
                    "Upgrade: websocket\r\n"
                    "Connection: Upgrade\r\n"
                    "Sec-WebSocket-Key: " +
                    key +
                    "\r\n"
                    "Sec-WebSocket-Version: 13\r\n";
  for (const auto& [name, value] : extra_headers) req += name + ": " + value + "\r\n";
  req += std::string(raw_headers) + "\r\n";
  if (!conn_.WriteAll(req, deadline)) {
    error_ = "handshake write failed";
    return false;
  }
  // Read only the response head: frames may follow it in the same segment.
  for (;;) {
    size_t head_end = conn_.buffer().find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::string head = conn_.buffer().substr(0, head_end + 4);
      bool upgraded = head.rfind("HTTP/1.1 101", 0) == 0;
      if (upgraded) {
        ParseHttpResponse(head, false, /*head_only=*/true, &response_);
        conn_.Consume(head_end + 4);
      } else {
        // A refusal carries a body: read it whole for the test to inspect.
        response_ = ReadHttpResponse(conn_, deadline);
      }
      break;
    }
    ReadStatus s = conn_.Fill(deadline);
    if (s != ReadStatus::kData) {
      error_ = std::string("handshake response: ") + ToString(s);
      return false;
    }
  }
  if (response_.status != 101) {
    error_ = "handshake refused: HTTP " + std::to_string(response_.status) + " " + response_.body;
    return false;
  }
  if (!ContainsToken(response_.Header("Upgrade"), "websocket")) {
    error_ = "101 without Upgrade: websocket";
    return false;
  }
  if (!ContainsToken(response_.Header("Connection"), "upgrade")) {
    error_ = "101 without Connection: Upgrade";
    return false;
  }
  if (response_.Header("Sec-WebSocket-Accept") != WsAcceptKey(key)) {
    error_ = "wrong Sec-WebSocket-Accept: " + response_.Header("Sec-WebSocket-Accept");
    return false;
  }
  return true;
}

bool WsClient::SendText(std::string_view text) { return SendFrame(op::kText, text); }
bool WsClient::SendBinary(std::string_view data) { return SendFrame(op::kBinary, data); }
bool WsClient::SendPing(std::string_view payload) { return SendFrame(op::kPing, payload); }
bool WsClient::SendPong(std::string_view payload) { return SendFrame(op::kPong, payload); }
bool WsClient::SendClose(uint16_t code, std::string_view reason) {
  return SendFrame(op::kClose, ClosePayload(code, reason));
}
bool WsClient::SendCloseEmpty() { return SendFrame(op::kClose, ""); }

bool WsClient::SendFrame(uint8_t opcode, std::string_view payload, bool fin, uint8_t rsv,
                         bool mask) {
  return SendRaw(EncodeWsFrame(opcode, payload, fin, rsv, mask));
}

bool WsClient::SendRaw(std::string_view bytes) { return conn_.WriteAll(bytes, AfterSeconds(10)); }

bool WsClient::SendRawBytewise(std::string_view bytes) {
  return conn_.WriteBytewise(bytes, AfterSeconds(30));
}

void WsClient::NoteViolations(const WsFrame& f) {
  auto note = [&](const std::string& what) { violations_ += what + "\n"; };
  if (f.masked) note("server frame is masked");
  if (f.rsv != 0) note("server frame has RSV bits " + std::to_string(f.rsv));
  bool known = f.opcode <= op::kBinary || (f.opcode >= op::kClose && f.opcode <= op::kPong);
  if (!known) note("server frame has reserved opcode " + std::to_string(f.opcode));
  if (f.opcode >= op::kClose && !f.fin) note("server sent a fragmented control frame");
  if (f.opcode >= op::kClose && f.payload.size() > 125) note("server control frame over 125 bytes");
}

size_t ParseWsFrame(std::string_view b, WsFrame* out) {
  if (b.size() < 2) return 0;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(b[i]); };
  size_t header = 2;
  uint64_t len = byte(1) & 0x7F;
  if (len == 126) header = 4;
  if (len == 127) header = 10;
  bool masked = byte(1) & 0x80;
  if (masked) header += 4;
  if (b.size() < header) return 0;
  if (len == 126) {
    len = (uint64_t{byte(2)} << 8) | byte(3);
  } else if (len == 127) {
    len = 0;
    for (size_t i = 2; i < 10; ++i) len = (len << 8) | byte(i);
  }
  if (b.size() - header < len) return 0;
  out->fin = byte(0) & 0x80;
  out->rsv = byte(0) & 0x70;
  out->opcode = byte(0) & 0x0F;
  out->masked = masked;
  out->payload = std::string(b.substr(header, static_cast<size_t>(len)));
  if (masked) {
    for (size_t i = 0; i < out->payload.size(); ++i) out->payload[i] ^= b[header - 4 + i % 4];
  }
  return header + static_cast<size_t>(len);
}

std::optional<WsFrame> WsClient::ReadFrame(Deadline deadline) {
  for (;;) {
    WsFrame f;
    size_t used = ParseWsFrame(conn_.buffer(), &f);
    if (used > 0) {
      conn_.Consume(used);
      NoteViolations(f);
      return f;
    }
    ReadStatus s = conn_.Fill(deadline);
    if (s != ReadStatus::kData) {
      error_ = std::string("read frame: ") + ToString(s);
      return std::nullopt;
    }
  }
}

std::optional<WsFrame> WsClient::ReadControl(Deadline deadline) {
  for (;;) {
    std::optional<WsFrame> m = ReadWireMessage(deadline);
    if (!m || m->opcode >= 0x8) return m;
    stashed_.push_back(std::move(*m));
  }
}

std::optional<WsFrame> WsClient::ReadMessage(Deadline deadline) {
  if (!stashed_.empty()) {
    WsFrame m = std::move(stashed_.front());
    stashed_.pop_front();
    return m;
  }
  return ReadWireMessage(deadline);
}

std::optional<WsFrame> WsClient::ReadWireMessage(Deadline deadline) {
  for (;;) {
    std::optional<WsFrame> f = ReadFrame(deadline);
    if (!f) return std::nullopt;
    if (f->opcode >= 0x8) return f;
    if (f->opcode == op::kContinuation) {
      if (!partial_) {
        error_ = "server sent a continuation frame without a message start";
        return std::nullopt;
      }
      partial_->payload += f->payload;
      if (f->fin) {
        WsFrame whole = std::move(*partial_);
        partial_.reset();
        whole.fin = true;
        return whole;
      }
      continue;
    }
    if (partial_) {
      error_ = "server started a message inside a fragmented one";
      return std::nullopt;
    }
    if (f->fin) return f;
    partial_ = std::move(f);
  }
}

std::optional<std::string> WsClient::ReadUntilType(std::string_view type, Deadline deadline) {
  for (;;) {
    std::optional<WsFrame> m = ReadMessage(deadline);
    if (!m) return std::nullopt;
    if (m->opcode == op::kPing) {
      SendPong(m->payload);
      continue;
    }
    if (m->opcode == op::kClose) {
      error_ = "server closed while waiting for type " + std::string(type) + " (code " +
               std::to_string(m->payload.size() >= 2 ? (static_cast<uint8_t>(m->payload[0]) << 8) |
                                                           static_cast<uint8_t>(m->payload[1])
                                                     : 1005) +
               ")";
      return std::nullopt;
    }
    if (m->opcode == op::kText && JsonType(m->payload) == type) return m->payload;
  }
}

CloseResult WsClient::WaitClosed(Deadline deadline) {
  CloseResult r;
  for (;;) {
    std::optional<WsFrame> f = ReadFrame(deadline);
    if (!f) {
      r.tcp_closed = conn_.peer_closed();
      if (!r.tcp_closed) r.error = "timed out waiting for the close frame";
      return r;
    }
    if (f->opcode != op::kClose) continue;
    r.got_close_frame = true;
    if (f->payload.size() >= 2) {
      r.code = (static_cast<uint8_t>(f->payload[0]) << 8) | static_cast<uint8_t>(f->payload[1]);
      r.reason = f->payload.substr(2);
    } else {
      r.code = 1005;
      if (f->payload.size() == 1) r.error = "close frame with a 1-byte body";
    }
    break;
  }
  // After its close frame the server must end the TCP connection.
  if (!conn_.buffer().empty()) violations_ += "server sent bytes after its close frame\n";
  for (;;) {
    conn_.buffer().clear();
    ReadStatus s = conn_.Fill(deadline);
    if (s == ReadStatus::kEof) {
      r.tcp_closed = true;
      return r;
    }
    if (s != ReadStatus::kData) {
      if (r.error.empty()) r.error = "tcp not closed after the close frame";
      return r;
    }
    violations_ += "server sent bytes after its close frame\n";
  }
}

std::string JsonType(std::string_view json) {
  std::optional<JsonDoc> doc = JsonDoc::Parse(json);
  if (!doc) return "";
  return doc->Str("type");
}

}  // namespace parley::testing
