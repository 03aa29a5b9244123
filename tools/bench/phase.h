// The send phases of the scenarios that hold persistent connections (fanout, pairs, durable):
// the coordinator publishes a phase, every worker thread sends on its schedule, and reports
// its tally once the coordinator has declared the phase over.
#pragma once

#include <atomic>
#include <cstdint>

namespace parley::bench {

// One send phase, published by the coordinator.
struct PhaseCommand {
  double interval_ns = 0;  // per sender; 0 = nobody sends
  int64_t start_ns = 0;    // first scheduled sends happen in [start, start + interval)
  int64_t window_start_ns = 0;
  int64_t window_end_ns = 0;  // also the end of sending
};

// Coordinator -> workers. `command` is written before `generation` is bumped (release).
struct PhaseControl {
  PhaseCommand command;
  std::atomic<uint32_t> generation{0};
  std::atomic<uint32_t> end_generation{0};  // phases up to this one are over: report
  std::atomic<bool> exit{false};
};

}  // namespace parley::bench
