// MemberWorker: one thread of parley-bench holding a share of the persistent connections
// (fanout, pairs, idle). It opens its connections, then runs the send phases the
// coordinator publishes in PhaseControl: each local sender sends on an open-loop schedule
// (evenly spaced, random phase), every receiver counts deliveries, sampled receivers
// measure latency from the scheduled send time.
//
// Threads: Run() is the worker thread's body; everything else in the object belongs to
// that thread except the atomics, which the coordinator reads, and TakePhaseResult(),
// which the coordinator calls once the worker has reported that phase.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loop.h"
#include "options.h"
#include "phase.h"
#include "tally.h"
#include "ws_client_conn.h"

namespace parley::bench {

// One persistent connection to open.
struct MemberSpec {
  std::string path;          // "/ws?username=...&room=..."
  uint32_t source_addr = 0;  // network order
  bool sampled = false;
  int64_t sender_id = -1;  // >= 0: this member sends
};

class MemberWorker final : public ConnObserver {
 public:
  MemberWorker(const Options& options, const sockaddr_in& server, std::vector<MemberSpec> specs,
               PhaseControl* control);
  ~MemberWorker() override;

  void Run();

  // Published for the coordinator.
  std::atomic<bool> connect_done{false};
  std::atomic<uint64_t> joined{0};
  std::atomic<uint32_t> phase_seen{0};  // generation the counters below belong to
  std::atomic<uint64_t> phase_sent{0};
  std::atomic<uint64_t> phase_deliveries{0};
  std::atomic<uint32_t> phase_reported{0};  // generation whose result is ready

  // REQUIRES: phase_reported >= that phase's generation (acquire).
  Tally TakePhaseResult() { return std::move(result_); }
  // REQUIRES: connect_done (acquire).
  const Tally& connect_tally() const { return connect_tally_; }

  void OnJoined(WsClientConn& c, int64_t now_ns) override;
  void OnClosed(WsClientConn& c, bool joined, bool by_server) override;

 private:
  struct Sender {
    uint32_t conn;
    uint32_t id;
    uint64_t seq = 0;
    uint64_t sent = 0;
  };
  void PaceConnects(int64_t now);
  void BeginPhase(uint32_t generation);
  void SendDue(int64_t now);
  void Report(uint32_t generation);

  const Options& options_;
  PhaseControl* control_;
  Loop loop_;
  ConnContext ctx_;
  std::vector<MemberSpec> specs_;
  std::vector<std::unique_ptr<WsClientConn>> conns_;
  std::vector<Sender> senders_;
  size_t next_to_start_ = 0;
  size_t in_flight_ = 0;
  size_t settled_ = 0;  // joined or failed
  int64_t connect_deadline_ns_ = 0;

  uint32_t generation_ = 0;
  PhaseCommand phase_;
  // Min-heap of (next scheduled send, index in senders_).
  std::vector<std::pair<int64_t, uint32_t>> schedule_;
  std::string text_;  // scratch message text
  Tally connect_tally_;
  Tally tally_;
  Tally result_;
};

}  // namespace parley::bench
