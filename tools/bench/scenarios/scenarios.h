// The scenarios parley-bench runs. Each takes the parsed options, drives the server at
// options.host:port, and returns what it measured (errors are counted in the Result, never
// thrown). Each runs on the calling thread plus options.threads worker threads.
#pragma once

#include "../options.h"
#include "../report.h"

namespace parley::bench {

Result RunFanout(const Options& o);   // one room, many members, a few senders
Result RunPairs(const Options& o);    // many two-member rooms, both members send
Result RunIdle(const Options& o);     // hold many connections; server memory per connection
Result RunConnect(const Options& o);  // upgrades per second at a fixed concurrency
Result RunJoin(const Options& o);     // joins per second into a room with history
Result RunDurable(const Options& o);  // acknowledged (durable) messages, native protocol
Result RunMatch(const Options& o);    // matches per second through the random-chat matchmaker

}  // namespace parley::bench
