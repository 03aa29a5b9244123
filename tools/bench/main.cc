// parley-bench: a load generator for chat servers that speak parley's seed 004 WebSocket
// protocol (or Socket.IO 4). Prints a human summary and, with --json, one JSON object.
//
//   parley-bench SCENARIO --host 127.0.0.1 --port P [--server-pid PID] [--threads 2]
//                [--duration 10] [--warmup 2] [--json out.json] [--label parley] ...
//   SCENARIO: fanout | pairs | idle | connect | join | durable | match
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>

#include "proc_sampler.h"
#include "scenarios/scenarios.h"

namespace parley::bench {
namespace {

int Main(int argc, char** argv) {
  Options o;
  std::string protocol = "seed004";
  CLI::App app{"parley-bench: measures a chat server over WebSockets"};
  app.add_option("scenario", o.scenario, "fanout, pairs, idle, connect, join, durable or match")
      ->required()
      ->check(CLI::IsMember({"fanout", "pairs", "idle", "connect", "join", "durable", "match"}));
  app.add_option("--host", o.host, "server IPv4 address (127.0.0.x)");
  app.add_option("--port", o.port, "server port")->required();
  app.add_option("--server-pid", o.server_pid, "sample this process's CPU and RSS");
  app.add_option("--threads", o.threads, "event loop threads")->check(CLI::Range(1, 64));
  app.add_option("--duration", o.duration, "measured seconds (per step with --step-up)")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--warmup", o.warmup, "seconds before the measured window")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--json", o.json_path, "write the result as JSON to this file");
  app.add_option("--label", o.label, "name of the server under test, copied to the output");
  app.add_option("--protocol", protocol, "seed004 or socketio")
      ->check(CLI::IsMember({"seed004", "socketio"}));
  app.add_option("--room-prefix", o.room_prefix, "prefix of every room name");
  app.add_option("--sample-receivers", o.sample_receivers,
                 "receivers that parse every message (latency, drops, reorders)");
  app.add_option("--source-addrs", o.source_addrs, "connect from 127.0.0.2 .. 127.0.0.(1+N)")
      ->check(CLI::Range(1, 250));
  app.add_option("--connect-parallel", o.connect_parallel,
                 "handshakes in flight while opening persistent connections");
  app.add_option("--connect-timeout", o.connect_timeout, "seconds to open every connection");
  app.add_option("--bulk-interval-us", o.bulk_interval_us,
                 "read counting-only receivers once per this interval (0: at once)")
      ->check(CLI::Range(0, 100000));
  app.add_option("--members", o.members, "fanout: members of the room")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--senders", o.senders, "fanout: members that send");
  app.add_option("--rate", o.rate, "messages/s in total (join: joins/s)")
      ->check(CLI::Range(0.0, 1e8));
  app.add_option("--size", o.size, "message text bytes")->check(CLI::Range(16, 65536));
  app.add_flag("--step-up", o.step_up, "fanout: raise the rate 1.5x per step until it breaks");
  app.add_option("--step-p99-ms", o.step_p99_ms, "step-up: p99 limit in ms");
  app.add_option("--max-steps", o.max_steps, "step-up: at most this many steps");
  app.add_option("--pairs", o.pairs, "pairs: two-member rooms")->check(CLI::Range(1, 1000000));
  app.add_option("--connections", o.connections, "idle: connections to hold")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--room-size", o.room_size, "idle: members per room");
  app.add_option("--concurrency", o.concurrency, "connect: upgrades in flight")
      ->check(CLI::Range(1, 100000));
  app.add_option("--history", o.history, "join: messages posted first")
      ->check(CLI::Range(0, 100000));
  app.add_option("--rooms", o.rooms, "durable: rooms")->check(CLI::Range(1, 1000000));
  app.add_option("--room-members", o.room_members, "durable: members per room, all sending")
      ->check(CLI::Range(1, 100000));
  app.add_option("--clients", o.clients, "match: clients searching in a closed loop")
      ->check(CLI::Range(2, 1000000));
  app.add_option("--expiry-probes", o.expiry_probe_ttl_s,
                 "match: check the queue expiry under load; the server's queue ttl in seconds "
                 "(the window must be longer)")
      ->check(CLI::Range(0.0, 3600.0));
  CLI11_PARSE(app, argc, argv);
  o.protocol = protocol == "socketio" ? Protocol::kSocketIo : Protocol::kSeed004;
  if (o.host.rfind("127.", 0) != 0) {
    std::fprintf(stderr, "parley-bench: --host must be a loopback address (127.x.x.x)\n");
    return 2;
  }

  std::signal(SIGPIPE, SIG_IGN);
  const long nofile = RaiseFileLimit();
  std::fprintf(stderr, "parley-bench: RLIMIT_NOFILE %ld\n", nofile);

  // Persistent connections must fit in this process's file limit (a few fds spare for
  // epoll, stdio and the JSON file); fail at once rather than half way through connecting.
  long needed = 0;
  if (o.scenario == "fanout") needed = o.members;
  if (o.scenario == "pairs") needed = 2L * o.pairs;
  if (o.scenario == "idle") needed = o.connections;
  if (o.scenario == "durable") needed = static_cast<long>(o.rooms) * o.room_members;
  if (o.scenario == "match") needed = o.clients;
  if (nofile > 0 && needed + 64 > nofile) {
    std::fprintf(stderr,
                 "parley-bench: %ld connections need more file descriptors than RLIMIT_NOFILE "
                 "%ld allows; run several parley-bench processes, each with a share\n",
                 needed, nofile);
    return 2;
  }

  Result r;
  if (o.scenario == "fanout") r = RunFanout(o);
  if (o.scenario == "pairs") r = RunPairs(o);
  if (o.scenario == "idle") r = RunIdle(o);
  if (o.scenario == "connect") r = RunConnect(o);
  if (o.scenario == "join") r = RunJoin(o);
  if (o.scenario == "durable") r = RunDurable(o);
  if (o.scenario == "match") r = RunMatch(o);
  r.nofile_limit = nofile;

  std::fputs(FormatHuman(r).c_str(), stdout);
  std::fflush(stdout);
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << FormatJson(r) << "\n";
    if (!out) {
      std::fprintf(stderr, "parley-bench: cannot write %s\n", o.json_path.c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace parley::bench

int main(int argc, char** argv) { return parley::bench::Main(argc, argv); }
