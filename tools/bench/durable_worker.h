// DurableWorker: one thread of the `durable` scenario. Its members speak parley's native
// protocol (/v1/ws): each joins its room, then sends messages with a clientId on an
// open-loop schedule (evenly spaced, random phase) during the phases the coordinator
// publishes. The clientId carries the scheduled send time, so the ack (sent once the
// message is durable) gives the ack latency and every chat frame the delivery latency.
//
// Threads: Run() is the worker thread's body; everything else belongs to that thread
// except the atomics, which the coordinator reads, and TakePhaseResult(), which the
// coordinator calls once the worker has reported that phase.
//
// TODO(cleanup): the epoll loop, connect/upgrade and phase plumbing repeat MemberWorker's
// and MatchWorker's (~40 lines each); fold them into one base before a fourth worker.
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
#include "text_conn.h"

namespace parley::bench {

// One member to open: it joins `room` and sends as `sender_id`.
struct DurableMember {
  std::string path;  // "/v1/ws?username=..."
  std::string room;
  uint32_t source_addr = 0;  // network order
  uint32_t sender_id = 0;
};

class DurableWorker final : public TextConn::Observer {
 public:
  DurableWorker(const Options& options, const sockaddr_in& server,
                std::vector<DurableMember> members, PhaseControl* control);
  ~DurableWorker() override;

  void Run();

  // Published for the coordinator.
  std::atomic<bool> connect_done{false};
  std::atomic<uint64_t> joined{0};
  std::atomic<uint32_t> phase_seen{0};  // generation the counters below belong to
  std::atomic<uint64_t> phase_sent{0};
  std::atomic<uint64_t> phase_acks{0};
  std::atomic<uint64_t> phase_deliveries{0};
  std::atomic<uint32_t> phase_reported{0};  // generation whose result is ready

  // REQUIRES: phase_reported >= that phase's generation (acquire).
  Tally TakePhaseResult() { return std::move(result_); }
  // REQUIRES: connect_done (acquire).
  const Tally& connect_tally() const { return connect_tally_; }

  void OnOpen(TextConn& c, int64_t now_ns) override;
  void OnText(TextConn& c, std::string_view payload, int64_t now_ns) override;
  void OnClosed(TextConn& c, bool was_open, bool by_server) override;

 private:
  struct Member {
    std::unique_ptr<TextConn> conn;
    bool joined = false;
    uint64_t seq = 0;       // next message's sequence number
    uint64_t next_ack = 0;  // the sequence number the next ack should carry
  };
  void PaceConnects(int64_t now);
  void BeginPhase(uint32_t generation);
  void SendDue(int64_t now);
  void OnAck(Member& m, std::string_view payload, int64_t now);
  void OnChat(std::string_view payload, int64_t now);
  void Report(uint32_t generation);

  const Options& options_;
  PhaseControl* control_;
  Loop loop_;
  sockaddr_in server_;
  std::string host_header_;
  std::vector<DurableMember> specs_;
  std::vector<Member> members_;
  size_t next_to_start_ = 0;
  size_t in_flight_ = 0;
  size_t settled_ = 0;  // joined or failed
  int64_t connect_deadline_ns_ = 0;

  uint32_t generation_ = 0;
  PhaseCommand phase_;
  // Min-heap of (next scheduled send, member index).
  std::vector<std::pair<int64_t, uint32_t>> schedule_;
  std::string text_, client_id_, frame_;  // scratch
  Tally connect_tally_;
  Tally tally_;
  Tally result_;
  Tally* current_ = &connect_tally_;
};

}  // namespace parley::bench
