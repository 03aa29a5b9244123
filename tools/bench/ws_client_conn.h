// WsClientConn: one generator WebSocket client on a Loop: non-blocking connect from a
// chosen 127.0.0.x source address, HTTP/1.1 upgrade, the join handshake of the protocol
// under test, then counting chat deliveries by walking frame headers.
//
// Cost is the point: a receiver reads into the loop's shared buffer, never copies a
// complete frame, decides a frame's kind from its first bytes and skips the rest of a
// large frame without buffering it. Only a sampled receiver parses the chat text (for
// latency, drops and reorders). An idle connection holds no buffer.
//
// Lives on its Loop's thread. The owner keeps the object alive until it is closed and the
// current RunOnce has returned (events already fetched may still name it).
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "loop.h"
#include "tally.h"

namespace parley::bench {

enum class Protocol : uint8_t { kSeed004, kSocketIo };

class WsClientConn;

// What every connection of one thread shares.
struct ConnContext {
  Loop* loop = nullptr;
  Protocol protocol = Protocol::kSeed004;
  sockaddr_in server{};
  std::string host_header;      // "127.0.0.1:PORT"
  Tally* tally = nullptr;       // counters of the current phase
  int64_t window_start_ns = 0;  // the measured window, CLOCK_MONOTONIC
  int64_t window_end_ns = 0;
  size_t max_send_queue = 4 << 20;  // bytes a connection may hold unsent
};

// Told about a connection's milestones (the scenario that owns it).
class ConnObserver {
 public:
  virtual ~ConnObserver() = default;
  // The first WebSocket frame arrived after the upgrade.
  virtual void OnFirstFrame(WsClientConn& c, int64_t now_ns) {}
  // Joined: the first presence frame (seed 004: parley's snapshot, or the user_joined a
  // seed 004 server broadcasts) or the namespace connect (Socket.IO) arrived.
  virtual void OnJoined(WsClientConn& c, int64_t now_ns) {}
  // The connection is closed (fd released); `joined` says whether it had joined.
  virtual void OnClosed(WsClientConn& c, bool joined, bool by_server) {}
};

class WsClientConn final : public Loop::Handler {
 public:
  enum class State : uint8_t {
    kIdle,
    kConnecting,
    kUpgrading,
    kHandshake,
    kOpen,
    kClosing,
    kClosed
  };

  WsClientConn(ConnContext* ctx, ConnObserver* observer, uint32_t id)
      : ctx_(ctx), observer_(observer), id_(id) {}
  ~WsClientConn() override;

  // Starts connecting from `source` (network order IPv4) to the context's server and
  // requests `path`. Returns false (and counts a connect error) when the socket could not
  // even be started.
  bool Start(uint32_t source_addr, std::string_view path);
  // Makes this a sampled receiver: it parses every chat message it receives.
  void EnableSampling();
  // Puts the socket in the loop's bulk set (read once per bulk interval). Before Start().
  void SetBulk(bool bulk) { bulk_ = bulk; }

  // Sends one text message (masked). Counts it as skipped when the send queue is full.
  bool SendText(std::string_view text);
  // Starts the closing handshake (close 1000); the server's close or EOF finishes it.
  void CloseGracefully();
  // Closes the socket now. `by_server` is false for the generator's own decisions.
  void Close();

  void OnEvents(uint32_t events) override;

  uint32_t id() const { return id_; }
  State state() const { return state_; }
  bool joined() const { return joined_; }
  int64_t start_ns() const { return start_ns_; }
  // Sampled receivers: messages received per sender id.
  struct SenderTrack {
    uint64_t next_seq = 0;
    uint64_t received = 0;
  };
  const std::unordered_map<uint32_t, SenderTrack>* tracks() const { return tracks_.get(); }

 private:
  void OnConnected();
  void OnReadable();
  void FlushOut();
  // Handles received bytes; returns false when the connection was closed meanwhile.
  bool ProcessUpgrade(char* data, size_t size, int64_t now);
  bool ProcessFrames(char* data, size_t size, int64_t now);
  bool HandleFrame(uint8_t opcode, bool fin, std::string_view payload, int64_t now);
  bool HandleText(std::string_view payload, int64_t now);
  void CountChat(std::string_view payload, int64_t now);
  void SendFrame(uint8_t opcode, std::string_view payload);
  void Fail(bool by_server);

  ConnContext* ctx_;
  ConnObserver* observer_;
  uint32_t id_;
  int fd_ = -1;
  State state_ = State::kIdle;
  bool joined_ = false;
  bool seen_frame_ = false;
  bool want_write_ = false;
  bool bulk_ = false;
  bool fragment_is_chat_ = false;  // inside a fragmented text message that is a chat frame
  int64_t start_ns_ = 0;
  uint64_t skip_ = 0;    // payload bytes of the current frame still to discard
  std::string partial_;  // an incomplete frame (or response head) kept between reads
  std::string out_;      // bytes the socket did not take yet
  std::string path_;     // kept only until the request is written
  std::unique_ptr<std::unordered_map<uint32_t, SenderTrack>> tracks_;  // sampled only
  std::unique_ptr<std::string> fragments_;  // sampled only: a fragmented chat message
};

}  // namespace parley::bench
