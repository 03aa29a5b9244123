// ChurnWorker: one thread of the connection-churn scenarios. `connect` keeps a fixed number
// of upgrades in flight (connect, upgrade, first frame, close, repeat); `join` starts joins
// on an open-loop schedule and measures each from its scheduled start to the presence
// snapshot. Every connection ends with the closing handshake, so the server closes the
// TCP connection first and the generator's ports do not pile up in TIME_WAIT.
//
// Threads: Run() is the thread's body; tally() is read after the thread has been joined.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "loop.h"
#include "options.h"
#include "tally.h"
#include "ws_client_conn.h"

namespace parley::bench {

struct ChurnPlan {
  bool join = false;       // false: connect scenario
  int slots = 1;           // connect: upgrades in flight; join: cap on joins in flight
  double interval_ns = 0;  // join: time between scheduled joins on this thread
  int64_t start_ns = 0;
  int64_t window_start_ns = 0;
  int64_t window_end_ns = 0;  // no new connection starts after this
  int64_t drain_end_ns = 0;   // whatever is still open is closed at this time
  std::string room;           // join: the room; connect: the prefix of one room per slot
  int thread_index = 0;
};

class ChurnWorker final : public ConnObserver {
 public:
  ChurnWorker(const Options& options, const sockaddr_in& server, ChurnPlan plan);
  ~ChurnWorker() override;

  void Run();
  const Tally& tally() const { return tally_; }

  void OnFirstFrame(WsClientConn& c, int64_t now_ns) override;
  void OnJoined(WsClientConn& c, int64_t now_ns) override;
  void OnClosed(WsClientConn& c, bool joined, bool by_server) override;

 private:
  struct Slot {
    std::unique_ptr<WsClientConn> conn;
    int64_t scheduled_ns = 0;  // join: when the join was due; connect: when it started
    int64_t closing_since = 0;
    bool busy = false;
  };
  void StartSlot(size_t index, int64_t scheduled_ns);
  void Finish(WsClientConn& c, int64_t now_ns);
  void Sweep(int64_t now);

  const Options& options_;
  ChurnPlan plan_;
  Loop loop_;
  ConnContext ctx_;
  Tally tally_;
  std::vector<Slot> slots_;
  std::vector<size_t> free_;      // slots ready for a new connection
  std::vector<size_t> finished_;  // slots whose connection closed during this turn
  size_t live_ = 0;
  uint64_t started_ = 0;
  int64_t next_join_ns_ = 0;
};

}  // namespace parley::bench
