// The coordinator of the persistent-connection scenarios (fanout, pairs, idle): spreads
// the members over worker threads, opens them, runs one send phase (or a step-up series),
// samples the server over each measured window, drains, and merges the threads' tallies.
#pragma once

#include <functional>
#include <vector>

#include "../member_worker.h"
#include "../report.h"

namespace parley::bench {

struct PersistentPlan {
  std::vector<MemberSpec> members;
  int senders = 0;
  // Receivers of one message, given how many members joined.
  std::function<uint64_t(uint64_t joined)> recipients;
  bool idle = false;  // hold the connections; measure server memory instead of sending
};

// Runs the plan and fills `r` (which already has scenario, label and params).
void RunPersistent(const Options& o, PersistentPlan plan, Result* r);

}  // namespace parley::bench
