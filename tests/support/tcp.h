// A blocking-free TCP client connection for tests: plain POSIX sockets, every wait bounded
// by a deadline through poll(2). Keeps one receive buffer that the HTTP and WebSocket
// clients parse from.
//
// Not thread-safe: one test thread owns a connection. Owns its file descriptor.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::testing {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// A deadline `ms` milliseconds from now.
Deadline After(std::chrono::milliseconds ms);
inline Deadline AfterSeconds(int s) { return After(std::chrono::seconds(s)); }

enum class ReadStatus { kData, kEof, kTimeout, kError };
const char* ToString(ReadStatus s);

class TcpConn {
 public:
  TcpConn() = default;
  ~TcpConn();
  TcpConn(TcpConn&& other) noexcept;
  TcpConn& operator=(TcpConn&& other) noexcept;
  TcpConn(const TcpConn&) = delete;
  TcpConn& operator=(const TcpConn&) = delete;

  // Connects to 127.0.0.1:`port` with TCP_NODELAY set, so each write leaves as its own
  // segment (the byte-by-byte cases rely on it). Returns false on failure or timeout.
  bool Connect(uint16_t port, Deadline deadline);
  bool connected() const { return fd_ >= 0; }

  // Writes all of `bytes`. False when the peer is gone or the deadline passed.
  bool WriteAll(std::string_view bytes, Deadline deadline);
  // Writes `bytes` one byte per write(2) call.
  bool WriteBytewise(std::string_view bytes, Deadline deadline);

  // Appends whatever arrives (at least one byte) to buffer(). kEof once the peer closed.
  ReadStatus Fill(Deadline deadline);
  // Fills until buffer() holds at least `n` bytes.
  ReadStatus FillTo(size_t n, Deadline deadline);

  std::string& buffer() { return buffer_; }
  void Consume(size_t n) { buffer_.erase(0, n); }

  // True once the peer has closed (EOF seen) or the connection was reset.
  bool peer_closed() const { return peer_closed_; }
  // Half-closes our side (FIN) while still reading.
  void ShutdownWrite();
  void Close();

 private:
  int fd_ = -1;
  bool peer_closed_ = false;
  std::string buffer_;
};

}  // namespace parley::testing
