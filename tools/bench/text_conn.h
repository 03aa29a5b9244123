// TextConn: a generator WebSocket client for request/response protocols (parley's native
// protocol, the random-chat socket): non-blocking connect from a chosen 127.0.0.x source
// address, HTTP/1.1 upgrade, then every complete text message is handed to the observer,
// which parses what it needs. Pings are answered, a close frame or EOF ends it.
//
// Unlike WsClientConn it never skips a payload: the clients of these protocols must read
// every answer (acks, matches) to decide what to send next, and those frames are small.
//
// Lives on its Loop's thread. The owner keeps the object alive until it is closed and the
// current RunOnce has returned (events already fetched may still name it).
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "loop.h"

namespace parley::bench {

class TextConn final : public Loop::Handler {
 public:
  class Observer {
   public:
    virtual ~Observer() = default;
    // The upgrade was accepted: the connection may send.
    virtual void OnOpen(TextConn& c, int64_t now_ns) = 0;
    // One complete text message (fragments joined). `payload` is valid during the call.
    virtual void OnText(TextConn& c, std::string_view payload, int64_t now_ns) = 0;
    // Closed (fd released). `was_open`: the upgrade had succeeded; `by_server`: the server
    // closed it or the connection broke (false for Close() and failed connects).
    virtual void OnClosed(TextConn& c, bool was_open, bool by_server) = 0;
  };

  // `server` and `host_header` ("127.0.0.1:PORT") must outlive the connection.
  TextConn(Loop* loop, const sockaddr_in* server, const std::string* host_header,
           Observer* observer, uint32_t id)
      : loop_(loop), server_(server), host_header_(host_header), observer_(observer), id_(id) {}
  ~TextConn() override;
  TextConn(const TextConn&) = delete;
  TextConn& operator=(const TextConn&) = delete;

  // Starts connecting from `source_addr` (network order) and requests `path`. False (and
  // OnClosed) when the socket could not even be started.
  bool Start(uint32_t source_addr, std::string_view path);
  // Sends one masked text frame. False when not open or more than `max_queue` bytes wait.
  bool SendText(std::string_view text, size_t max_queue = 4 << 20);
  // Closes the socket now (OnClosed follows, unless it was never started).
  void Close() { Finish(false); }

  void OnEvents(uint32_t events) override;

  uint32_t id() const { return id_; }
  bool open() const { return state_ == State::kOpen; }
  bool closed() const { return state_ == State::kClosed; }

 private:
  enum class State : uint8_t { kIdle, kConnecting, kUpgrading, kOpen, kClosed };
  void FlushOut();
  void OnReadable();
  bool ProcessFrames(const char* data, size_t size, int64_t now);
  void Finish(bool by_server);

  Loop* loop_;
  const sockaddr_in* server_;
  const std::string* host_header_;
  Observer* observer_;
  uint32_t id_;
  int fd_ = -1;
  State state_ = State::kIdle;
  bool want_write_ = false;
  bool in_fragments_ = false;
  std::string path_;       // kept only until the request is written
  std::string partial_;    // an incomplete frame (or response head) kept between reads
  std::string out_;        // bytes the socket did not take yet
  std::string fragments_;  // a fragmented text message being joined
};

}  // namespace parley::bench
