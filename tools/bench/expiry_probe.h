// Expiry probes: while the match scenario loads the matchmaker, checks that a user waiting
// through seed 000's POST /api/match can be matched until exactly `queue_ttl` after its
// post, and not a moment later.
//
// Each probe is two users with a filter no one else uses (mode "voice", a language of
// their own): the first posts and waits; the second posts a little before or at the end of
// the first one's ttl. The server's clock for the first post lies between its send and its
// answer, so a probe can only be judged when the second post falls clearly on one side:
// - "kept" probes: the second is answered before (first send + ttl), so it must be matched;
// - "expired" probes: the second is sent after (first answer + ttl), so it must wait.
// A probe whose second post straddles the boundary is counted inconclusive, never correct.
//
// Blocking HTTP on threads of its own (four probes, one thread each): the probes are a
// handful of requests, not load.
#pragma once

#include <cstdint>
#include <string>

#include "options.h"

namespace parley::bench {

struct ExpiryProbeResult {
  int correct = 0;
  int wrong = 0;
  int inconclusive = 0;
  std::string detail;  // one line per probe, for the human summary
};

// Runs the probes against `o.host:o.port`, starting now; returns after about ttl_s + 1 s.
ExpiryProbeResult RunExpiryProbes(const Options& o, double ttl_s);

}  // namespace parley::bench
