#!/usr/bin/env python3
"""Stands in for parley-bench in run_bench's tests: takes the same flags, talks to the server
once (one member joins and sends a message) so a dead server fails, checks --server-pid is a
live process, and writes a result JSON whose figures depend only on --label."""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from wsclient import ChatClient  # noqa: E402

# Per label: server CPU µs per delivery, deliveries/s, p99 µs, idle bytes per connection.
FIGURES = {"parley": (0.2, 4_500_000, 800, 400), "node-ws": (8.0, 120_000, 4000, 6000),
           "socketio": (11.0, 90_000, 6000, 18000), "workerd": (19.0, 70_000, 9000, 93000)}

p = argparse.ArgumentParser()
p.add_argument("scenario")
for flag in ("--host", "--port", "--server-pid", "--threads", "--duration", "--warmup", "--json",
             "--label", "--room-prefix", "--protocol", "--members", "--senders", "--rate",
             "--size", "--pairs", "--connections", "--concurrency", "--history", "--rooms",
             "--room-members", "--clients", "--max-steps"):
    p.add_argument(flag)
p.add_argument("--step-up", action="store_true")
a = p.parse_args()
if not os.path.exists(f"/proc/{a.server_pid}/status"):
    sys.exit(f"no process {a.server_pid}")
member = ChatClient(a.host, int(a.port), "fake", "fake-room", a.protocol or "seed004")
member.recv_type("history")
member.send("B1:0:0:x")
member.recv_type("chat")
member.close()

cpu, peak, p99, idle = FIGURES[a.label]
result = {"scenario": a.scenario, "label": a.label, "params": {"members": a.members,
          "rate": a.rate}, "duration_s": float(a.duration), "sent": 100, "deliveries": 1000,
          "expected_deliveries": 1000, "deliveries_per_s": 50_000.0,
          "latency_us": {"p50": p99 / 4, "p90": p99 / 2, "p99": p99, "p999": p99 * 2,
                         "max": p99 * 3},
          "connect_errors": 0, "drops": 0, "reorders": 0, "server_cpu_s": 1.0,
          "server_cpu_us_per_delivery": cpu, "server_rss_kb": 20000, "generator_cpu_s": 0.5,
          "generator_cpu_us_per_delivery": 0.1, "upgrades_per_s": 1e6 / (cpu * 25),
          "joins_per_s": 2000.0 if a.label == "parley" else 1500.0,
          "rss_per_connection_bytes": idle}
if a.scenario == "match":
    result.update(matches=700_000, matches_per_s=70_000.0, cpu_unit="match")
if a.step_up:
    members = float(a.members)
    rate, steps = float(a.rate), []
    while rate * members <= peak * 1.5:
        ok = rate * members <= peak
        steps.append({"rate": rate, "deliveries_per_s": rate * members * (1 if ok else 0.7),
                      "latency_us": {"p50": 300, "p99": p99 if ok else 90_000},
                      "server_cpu_us_per_delivery": cpu})
        rate *= 1.5
    result["steps"] = steps
with open(a.json, "w") as f:
    json.dump(result, f)
print(f"fake {a.scenario} against {a.label}: done")
