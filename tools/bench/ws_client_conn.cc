#include "ws_client_conn.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client_frame.h"
#include "frame_walk.h"
#include "gen_message.h"

namespace parley::bench {
namespace {

constexpr size_t kMaxResponseHead = 16 * 1024;

}  // namespace

WsClientConn::~WsClientConn() {
  if (fd_ >= 0) ::close(fd_);
}

void WsClientConn::EnableSampling() {
  tracks_ = std::make_unique<std::unordered_map<uint32_t, SenderTrack>>();
}

bool WsClientConn::Start(uint32_t source_addr, std::string_view path) {
  start_ns_ = NowNs();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    Fail(false);
    return false;
  }
  int one = 1;
  // Let connect() pick the port, so ports are shared across destinations (4-tuple).
  setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in src{};
  src.sin_family = AF_INET;
  src.sin_addr.s_addr = source_addr;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof(src)) != 0) {
    Fail(false);
    return false;
  }
  path_.assign(path);
  state_ = State::kConnecting;
  int rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&ctx_->server), sizeof(ctx_->server));
  if (rc != 0 && errno != EINPROGRESS) {
    Fail(false);
    return false;
  }
  if (!ctx_->loop->Add(fd_, EPOLLIN | EPOLLOUT | EPOLLRDHUP, this, bulk_)) {
    Fail(false);
    return false;
  }
  want_write_ = true;
  return true;
}

void WsClientConn::OnEvents(uint32_t events) {
  if (state_ == State::kClosed || state_ == State::kIdle) return;
  if (state_ == State::kConnecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || (events & EPOLLERR)) {
      Fail(false);
      return;
    }
    OnConnected();
    return;
  }
  if (events & EPOLLOUT) FlushOut();
  if (state_ == State::kClosed) return;
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) OnReadable();
}

void WsClientConn::OnConnected() {
  state_ = State::kUpgrading;
  AppendUpgradeRequest(out_, path_, ctx_->host_header);
  std::string().swap(path_);
  FlushOut();
}

void WsClientConn::FlushOut() {
  while (!out_.empty()) {
    ssize_t n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) break;
      if (errno == EINTR) continue;
      Fail(true);
      return;
    }
    out_.erase(0, static_cast<size_t>(n));
  }
  const bool want = !out_.empty();
  if (out_.empty() && out_.capacity() > 4096) std::string().swap(out_);
  if (want != want_write_) {
    const uint32_t events = EPOLLIN | EPOLLRDHUP | (want ? uint32_t{EPOLLOUT} : 0u);
    ctx_->loop->Modify(fd_, events, this, bulk_);
    want_write_ = want;
  }
}

void WsClientConn::SendFrame(uint8_t opcode, std::string_view payload) {
  if (state_ == State::kClosed || state_ == State::kConnecting) return;
  if (out_.size() > ctx_->max_send_queue) {
    ++ctx_->tally->send_skipped;
    return;
  }
  const bool was_empty = out_.empty();
  AppendMaskedFrame(out_, opcode, payload);
  if (was_empty) FlushOut();
}

bool WsClientConn::SendText(std::string_view text) {
  if (state_ != State::kOpen || out_.size() > ctx_->max_send_queue) {
    ++ctx_->tally->send_skipped;
    return false;
  }
  SendFrame(kOpText, text);
  return true;
}

void WsClientConn::CloseGracefully() {
  if (state_ == State::kClosed || state_ == State::kClosing) return;
  if (state_ != State::kOpen && state_ != State::kHandshake) {
    Close();
    return;
  }
  const char body[2] = {static_cast<char>(1000 >> 8), static_cast<char>(1000 & 0xFF)};
  SendFrame(kOpClose, std::string_view(body, 2));
  if (state_ != State::kClosed) state_ = State::kClosing;
}

void WsClientConn::Close() {
  if (state_ == State::kClosed) return;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  state_ = State::kClosed;
  std::string().swap(partial_);
  std::string().swap(out_);
  if (observer_) observer_->OnClosed(*this, joined_, false);
}

void WsClientConn::Fail(bool by_server) {
  if (state_ == State::kClosed) return;
  const bool was_closing = state_ == State::kClosing;
  if (!joined_ && !was_closing) {
    ++ctx_->tally->connect_errors;
  } else if (by_server && !was_closing) {
    ++ctx_->tally->closed_by_server;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  state_ = State::kClosed;
  std::string().swap(partial_);
  std::string().swap(out_);
  if (observer_) observer_->OnClosed(*this, joined_, by_server && !was_closing);
}

void WsClientConn::OnReadable() {
  Loop& loop = *ctx_->loop;
  loop.GrowBuffer(partial_.size() + 64 * 1024);
  char* buf = loop.buffer();
  const size_t have = partial_.size();
  if (have > 0) {
    std::memcpy(buf, partial_.data(), have);
    partial_.clear();
    if (partial_.capacity() > 1024) std::string().swap(partial_);
  }
  ssize_t n = ::recv(fd_, buf + have, loop.buffer_size() - have, 0);
  if (n == 0) {
    Fail(true);
    return;
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) {
      if (have > 0) partial_.assign(buf, have);
      return;
    }
    Fail(true);
    return;
  }
  const int64_t now = NowNs();
  const size_t size = have + static_cast<size_t>(n);
  if (state_ == State::kUpgrading) {
    ProcessUpgrade(buf, size, now);
  } else {
    ProcessFrames(buf, size, now);
  }
}

bool WsClientConn::ProcessUpgrade(char* data, size_t size, int64_t now) {
  std::string_view text(data, size);
  const size_t end = text.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (size > kMaxResponseHead) {
      Fail(false);
      return false;
    }
    partial_.assign(data, size);
    return true;
  }
  std::string_view head = text.substr(0, end);
  if (!UpgradeAccepted(head)) {
    Fail(false);
    return false;
  }
  state_ = State::kHandshake;
  const size_t body = end + 4;
  if (body == size) return true;
  return ProcessFrames(data + body, size - body, now);
}

bool WsClientConn::ProcessFrames(char* data, size_t size, int64_t now) {
  size_t pos = 0;
  while (pos < size) {
    if (skip_ > 0) {
      const size_t take = skip_ < size - pos ? static_cast<size_t>(skip_) : size - pos;
      skip_ -= take;
      pos += take;
      continue;
    }
    FrameHead head;
    std::string_view rest(data + pos, size - pos);
    if (!ParseFrameHead(rest, &head)) break;
    if (head.masked) {
      Fail(true);
      return false;
    }
    const size_t avail = rest.size() - head.header_bytes;
    if (head.payload_bytes <= avail) {
      std::string_view payload(rest.data() + head.header_bytes, head.payload_bytes);
      if (!HandleFrame(head.opcode, head.fin, payload, now)) return false;
      pos += head.header_bytes + head.payload_bytes;
      continue;
    }
    // Incomplete payload. A receiver that only counts can decide from the first bytes and
    // skip the rest instead of buffering the frame.
    const bool counting_only = state_ == State::kOpen && !tracks_ && head.fin &&
                               head.opcode == kOpText && avail >= kClassifyBytes;
    std::string_view prefix(rest.data() + head.header_bytes, avail);
    const bool decidable =
        ctx_->protocol == Protocol::kSocketIo || prefix.starts_with("{\"type\":\"");
    if (counting_only && decidable) {
      if (!HandleText(prefix, now)) return false;
      skip_ = head.payload_bytes - avail;
      return true;
    }
    // Keep the frame; make sure the next read can hold all of it (after copying the rest
    // out: growing may move the buffer `data` points into).
    partial_.assign(data + pos, size - pos);
    ctx_->loop->GrowBuffer(head.header_bytes + head.payload_bytes + 64 * 1024);
    return true;
  }
  if (pos < size) partial_.assign(data + pos, size - pos);
  return true;
}

bool WsClientConn::HandleFrame(uint8_t opcode, bool fin, std::string_view payload, int64_t now) {
  if (!seen_frame_) {
    seen_frame_ = true;
    if (observer_) observer_->OnFirstFrame(*this, now);
    if (state_ == State::kClosed) return false;
  }
  switch (opcode) {
    case kOpText:
      if (fin) return HandleText(payload, now);
      fragment_is_chat_ =
          (ctx_->protocol == Protocol::kSeed004 ? ClassifySeed004(payload)
                                                : ClassifySocketIo(payload)) == FrameKind::kChat;
      if (fragment_is_chat_ && tracks_) fragments_ = std::make_unique<std::string>(payload);
      return true;
    case kOpContinuation:
      if (fragments_) fragments_->append(payload);
      if (fin && fragment_is_chat_) {
        fragment_is_chat_ = false;
        if (state_ == State::kOpen) CountChat(fragments_ ? *fragments_ : std::string_view(), now);
        fragments_.reset();
      }
      return true;
    case kOpPing:
      SendFrame(kOpPong, payload);
      return state_ != State::kClosed;
    case kOpClose:
      Fail(true);
      return false;
    default:  // binary, pong: nothing to count
      return true;
  }
}

bool WsClientConn::HandleText(std::string_view payload, int64_t now) {
  if (state_ == State::kOpen) {
    const FrameKind kind =
        ctx_->protocol == Protocol::kSeed004 ? ClassifySeed004(payload) : ClassifySocketIo(payload);
    if (kind == FrameKind::kChat) {
      CountChat(payload, now);
    } else if (kind == FrameKind::kPing) {
      SendFrame(kOpText, "3");
    } else if (payload.starts_with("{\"type\":\"error\"")) {
      ++ctx_->tally->error_frames;
    }
    return state_ != State::kClosed;
  }
  if (state_ != State::kHandshake) return true;  // closing: ignore
  if (ctx_->protocol == Protocol::kSeed004) {
    // The history comes first; the first presence frame after it completes the join:
    // parley's snapshot, or the user_joined that seed 004 servers broadcast to the joiner
    // too. (Quotes inside history texts are escaped, so they cannot match here.)
    if (payload.find("\"type\":\"presence\"") != std::string_view::npos) {
      state_ = State::kOpen;
      joined_ = true;
      if (observer_) observer_->OnJoined(*this, now);
    }
  } else if (payload == "2") {
    SendFrame(kOpText, "3");
  } else if (payload.starts_with("40")) {
    state_ = State::kOpen;
    joined_ = true;
    if (observer_) observer_->OnJoined(*this, now);
  } else if (payload.starts_with("0")) {
    SendFrame(kOpText, "40");
  }
  return state_ != State::kClosed;
}

void WsClientConn::CountChat(std::string_view payload, int64_t now) {
  Tally& t = *ctx_->tally;
  ++t.deliveries;
  if (now >= ctx_->window_start_ns && now < ctx_->window_end_ns) ++t.deliveries_in_window;
  if (!tracks_) return;
  auto m = ParseChatFrame(payload);
  if (!m) return;
  const auto send_ns = static_cast<int64_t>(m->send_ns);
  if (send_ns >= ctx_->window_start_ns && send_ns < ctx_->window_end_ns && now >= send_ns) {
    t.latency.Record(static_cast<uint64_t>((now - send_ns) / 1000));
  }
  SenderTrack& track = (*tracks_)[m->sender];
  if (m->seq < track.next_seq) {
    ++t.reorders;
    return;
  }
  track.next_seq = m->seq + 1;
  ++track.received;
}

}  // namespace parley::bench
