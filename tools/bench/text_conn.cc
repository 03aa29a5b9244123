#include "text_conn.h"

#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client_frame.h"
#include "frame_walk.h"

namespace parley::bench {
namespace {

constexpr size_t kMaxResponseHead = 16 * 1024;
constexpr size_t kReadChunk = 64 * 1024;

}  // namespace

TextConn::~TextConn() {
  if (fd_ >= 0) ::close(fd_);
}

bool TextConn::Start(uint32_t source_addr, std::string_view path) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  state_ = State::kConnecting;
  if (fd_ < 0) {
    Finish(false);
    return false;
  }
  int one = 1;
  // Let connect() pick the port, so ports are shared across destinations (4-tuple).
  setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in src{};
  src.sin_family = AF_INET;
  src.sin_addr.s_addr = source_addr;
  path_.assign(path);
  const int rc = ::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof(src)) == 0
                     ? ::connect(fd_, reinterpret_cast<const sockaddr*>(server_), sizeof(*server_))
                     : -2;
  if ((rc != 0 && (rc == -2 || errno != EINPROGRESS)) ||
      !loop_->Add(fd_, EPOLLIN | EPOLLOUT | EPOLLRDHUP, this)) {
    Finish(false);
    return false;
  }
  want_write_ = true;
  return true;
}

void TextConn::OnEvents(uint32_t events) {
  if (state_ == State::kClosed || state_ == State::kIdle) return;
  if (state_ == State::kConnecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || (events & EPOLLERR)) return Finish(false);
    state_ = State::kUpgrading;
    AppendUpgradeRequest(out_, path_, *host_header_);
    std::string().swap(path_);
    FlushOut();
    return;
  }
  if (events & EPOLLOUT) FlushOut();
  if (state_ == State::kClosed) return;
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) OnReadable();
}

void TextConn::FlushOut() {
  while (!out_.empty()) {
    const ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) break;
      if (errno == EINTR) continue;
      return Finish(true);
    }
    out_.erase(0, static_cast<size_t>(n));
  }
  const bool want = !out_.empty();
  if (want != want_write_) {
    loop_->Modify(fd_, EPOLLIN | EPOLLRDHUP | (want ? uint32_t{EPOLLOUT} : 0u), this);
    want_write_ = want;
  }
}

bool TextConn::SendText(std::string_view text, size_t max_queue) {
  if (state_ != State::kOpen || out_.size() > max_queue) return false;
  const bool was_empty = out_.empty();
  AppendMaskedFrame(out_, kOpText, text);
  if (was_empty) FlushOut();
  return state_ == State::kOpen;
}

void TextConn::Finish(bool by_server) {
  if (state_ == State::kClosed) return;
  if (state_ == State::kIdle) {  // never started: nothing to release or report
    state_ = State::kClosed;
    return;
  }
  const bool was_open = state_ == State::kOpen;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  state_ = State::kClosed;
  std::string().swap(partial_);
  std::string().swap(out_);
  std::string().swap(fragments_);
  observer_->OnClosed(*this, was_open, by_server);
}

void TextConn::OnReadable() {
  loop_->GrowBuffer(partial_.size() + kReadChunk);
  char* buf = loop_->buffer();
  const size_t have = partial_.size();
  if (have > 0) std::memcpy(buf, partial_.data(), have);
  partial_.clear();
  const ssize_t n = ::recv(fd_, buf + have, loop_->buffer_size() - have, 0);
  if (n == 0) return Finish(true);
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) return Finish(true);
    partial_.assign(buf, have);
    return;
  }
  const int64_t now = NowNs();
  size_t size = have + static_cast<size_t>(n);
  const char* data = buf;
  if (state_ == State::kUpgrading) {
    const std::string_view text(buf, size);
    const size_t end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (size > kMaxResponseHead) return Finish(false);
      partial_.assign(buf, size);
      return;
    }
    if (!UpgradeAccepted(text.substr(0, end))) return Finish(false);
    state_ = State::kOpen;
    observer_->OnOpen(*this, now);
    if (state_ != State::kOpen) return;
    data += end + 4;
    size -= end + 4;
  }
  ProcessFrames(data, size, now);
}

bool TextConn::ProcessFrames(const char* data, size_t size, int64_t now) {
  size_t pos = 0;
  size_t grow_to = 0;
  while (pos < size) {
    FrameHead head;
    const std::string_view rest(data + pos, size - pos);
    if (!ParseFrameHead(rest, &head)) break;
    if (head.masked) {
      Finish(true);
      return false;
    }
    if (head.payload_bytes > rest.size() - head.header_bytes) {
      grow_to = head.header_bytes + head.payload_bytes + kReadChunk;
      break;
    }
    const std::string_view payload(rest.data() + head.header_bytes, head.payload_bytes);
    pos += head.header_bytes + head.payload_bytes;
    switch (head.opcode) {
      case kOpText:
        if (head.fin) {
          observer_->OnText(*this, payload, now);
        } else {
          in_fragments_ = true;
          fragments_.assign(payload);
        }
        break;
      case kOpContinuation:
        if (!in_fragments_) break;
        fragments_.append(payload);
        if (head.fin) {
          in_fragments_ = false;
          observer_->OnText(*this, fragments_, now);
          fragments_.clear();
        }
        break;
      case kOpPing: {
        const bool was_empty = out_.empty();
        AppendMaskedFrame(out_, kOpPong, payload);
        if (was_empty) FlushOut();
        break;
      }
      case kOpClose:
        Finish(true);
        return false;
      default:  // binary, pong: nothing in these protocols
        break;
    }
    if (state_ != State::kOpen) return false;
  }
  if (pos < size) partial_.assign(data + pos, size - pos);
  // Only now: growing may move the buffer `data` points into. The next read then holds the
  // whole frame.
  if (grow_to > 0) loop_->GrowBuffer(grow_to);
  return true;
}

}  // namespace parley::bench
