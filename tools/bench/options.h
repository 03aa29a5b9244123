// Options: every command-line setting of parley-bench, as plain data with its default.
// Filled once by main.cc, then only read (from any thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ws_client_conn.h"

namespace parley::bench {

struct Options {
  std::string scenario;  // fanout, pairs, idle, connect, join, durable, match
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int server_pid = 0;    // 0: no server sampling
  int threads = 2;       // event loops (one thread each)
  double duration = 10;  // measured seconds (per step with --step-up)
  double warmup = 2;     // seconds before the measured window
  std::string json_path;
  std::string label = "parley";
  Protocol protocol = Protocol::kSeed004;
  std::string room_prefix = "bench";
  int sample_receivers = 50;    // receivers that parse every chat message
  int source_addrs = 16;        // connect from 127.0.0.2 .. 127.0.0.(1+N)
  int connect_parallel = 256;   // handshakes in flight while opening persistent connections
  double connect_timeout = 30;  // seconds to open every persistent connection
  // Receivers that only count are read once per this interval (0: as soon as ready).
  int bulk_interval_us = 2000;

  // fanout
  int members = 1000;
  int senders = 10;
  double rate = 5000;  // messages/s in total (joins/s for join)
  size_t size = 128;
  bool step_up = false;
  double step_p99_ms = 50;      // step-up stops when p99 exceeds this
  double step_min_ratio = 0.9;  // ... or deliveries fall below this share of expected
  int max_steps = 12;
  // pairs
  int pairs = 10000;
  // idle
  int connections = 15000;
  int room_size = 100;  // idle: members per room
  // connect
  int concurrency = 50;
  // join
  int history = 50;
  // durable
  int rooms = 1000;
  int room_members = 2;
  // match
  int clients = 2000;
  // The server's match.queue_ttl_s; > 0 runs the expiry probes (expiry_probe.h) in the
  // measured window, which must then last longer than it.
  double expiry_probe_ttl_s = 0;
};

}  // namespace parley::bench
