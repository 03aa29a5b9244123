#include "tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace parley::testing {
namespace {

// Milliseconds left until `deadline`, for poll(2); 0 once it has passed.
int MsLeft(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(left.count()) + 1;
}

// Waits for `events` on `fd`. True when ready (or in error: the next call reports it).
bool WaitFor(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int ms = MsLeft(deadline);
    int r = ::poll(&p, 1, ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

Deadline After(std::chrono::milliseconds ms) { return Clock::now() + ms; }

const char* ToString(ReadStatus s) {
  switch (s) {
    case ReadStatus::kData:
      return "data";
    case ReadStatus::kEof:
      return "eof";
    case ReadStatus::kTimeout:
      return "timeout";
    case ReadStatus::kError:
      return "error";
  }
  return "?";
}

TcpConn::~TcpConn() { Close(); }

TcpConn::TcpConn(TcpConn&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      peer_closed_(other.peer_closed_),
      buffer_(std::move(other.buffer_)) {}

TcpConn& TcpConn::operator=(TcpConn&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    peer_closed_ = other.peer_closed_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

bool TcpConn::Connect(uint16_t port, Deadline deadline) {
  Close();
  peer_closed_ = false;
  buffer_.clear();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return false;
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) return true;
  if (errno != EINPROGRESS || !WaitFor(fd_, POLLOUT, deadline)) {
    Close();
    return false;
  }
  int err = 0;
  socklen_t len = sizeof(err);
  ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    Close();
    return false;
  }
  return true;
}

bool TcpConn::WriteAll(std::string_view bytes, Deadline deadline) {
  if (fd_ < 0) return false;
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(fd_, POLLOUT, deadline)) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool TcpConn::WriteBytewise(std::string_view bytes, Deadline deadline) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (!WriteAll(bytes.substr(i, 1), deadline)) return false;
  }
  return true;
}

ReadStatus TcpConn::Fill(Deadline deadline) {
  if (fd_ < 0) return ReadStatus::kError;
  if (peer_closed_) return ReadStatus::kEof;
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return ReadStatus::kData;
    }
    if (n == 0) {
      peer_closed_ = true;
      return ReadStatus::kEof;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFor(fd_, POLLIN, deadline)) return ReadStatus::kTimeout;
      continue;
    }
    // A reset is the peer going away too: the tests treat it like EOF but report it.
    peer_closed_ = true;
    return errno == ECONNRESET ? ReadStatus::kEof : ReadStatus::kError;
  }
}

ReadStatus TcpConn::FillTo(size_t n, Deadline deadline) {
  while (buffer_.size() < n) {
    ReadStatus s = Fill(deadline);
    if (s != ReadStatus::kData) return s;
  }
  return ReadStatus::kData;
}

void TcpConn::ShutdownWrite() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void TcpConn::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace parley::testing
