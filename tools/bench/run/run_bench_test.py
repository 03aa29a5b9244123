"""Tests of the benchmark orchestrator and the peer servers.

    python3 -m unittest discover -s tools/bench/run -p '*_test.py'

The peers' tests need `npm ci` in bench/peers; the parley test needs a built parley
(build/release, or PARLEY_BIN). Tests whose server is not there are skipped, saying why.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import figures  # noqa: E402
import report  # noqa: E402
import run_bench  # noqa: E402
from scenarios import BY_NAME  # noqa: E402
from servers import TARGETS, Server  # noqa: E402
from wsclient import check_chat_server  # noqa: E402

ROOT = run_bench.ROOT
FAKE_BENCH = os.path.join(HERE, "testdata", "fake_parley_bench.py")
PARLEY = os.environ.get("PARLEY_BIN", os.path.join(ROOT, "build/release/src/app/parley"))
PEERS_INSTALLED = os.path.isdir(os.path.join(ROOT, "bench/peers/node_modules"))
HAVE_PARLEY = os.access(PARLEY, os.X_OK)


class FiguresTest(unittest.TestCase):
    def test_ratio_says_how_many_times_better_parley_is(self):
        self.assertAlmostEqual(figures.ratio("cost", 0.25, 7.5), 30)
        self.assertAlmostEqual(figures.ratio("throughput", 4e6, 8e4), 50)
        self.assertIsNone(figures.ratio("cost", None, 7.5))
        self.assertIsNone(figures.ratio("cost", 0, 7.5))
        self.assertIsNone(figures.ratio(None, 1, 2))

    def test_peak_step_skips_steps_over_the_latency_limit_or_short_of_deliveries(self):
        result = {"params": {"members": 1000}, "steps": [
            {"rate": 100, "deliveries_per_s": 100_000, "latency_us": {"p99": 900}},
            {"rate": 150, "deliveries_per_s": 149_000, "latency_us": {"p99": 1200}},
            {"rate": 225, "deliveries_per_s": 180_000, "latency_us": {"p99": 2000}},  # 80%
            {"rate": 338, "deliveries_per_s": 337_000, "latency_us": {"p99": 60_000}},
        ]}
        self.assertEqual(figures.peak_step(result)["rate"], 150)
        self.assertIsNone(figures.peak_step({"steps": []}))

    def test_a_missing_figure_is_not_measured_never_met(self):
        target = figures.TARGETS[0]
        self.assertEqual(figures.check_target(target, None), (None, "not measured"))
        self.assertEqual(figures.check_target(target, {"error": "boom"})[1], "not measured")

    def test_pairs_latency_counts_only_when_the_rate_was_sustained(self):
        target = next(t for t in figures.TARGETS if t[1] == "pairs-100k")
        fast = {"latency_us": {"p99": 800}, "deliveries": 95, "expected_deliveries": 100}
        short = {"latency_us": {"p99": 800}, "deliveries": 50, "expected_deliveries": 100}
        self.assertEqual(figures.check_target(target, fast), (800, "met"))
        self.assertEqual(figures.check_target(target, short)[1], "not measured")

    def test_fmt(self):
        self.assertEqual(figures.fmt(0.2134, "µs"), "0.213 µs")
        self.assertEqual(figures.fmt(4_324_878.2), "4,324,878")
        self.assertEqual(figures.fmt(99.5, "%"), "99.5%")
        self.assertEqual(figures.fmt(None, "µs"), "—")


class ParleyOnlyTablesTest(unittest.TestCase):
    """durable and match: parley's figures, a dash for every peer, and the match target."""

    MATCH = {"matches_per_s": 120_000.0, "matches": 1_200_000, "error_frames": 0,
             "latency_us": {"p50": 900, "p90": 3000, "p99": 12_000, "p999": 15_000, "count": 9},
             "server_cpu_us_per_delivery": 9.5, "cpu_unit": "match",
             "expiry_probes": {"correct": 3, "wrong": 0, "inconclusive": 1}}
    DURABLE = {"acks_per_s": 5000.0, "acks": 50_000, "sent": 50_000, "drops": 0,
               "latency_us": {"p50": 800, "p99": 2500, "p999": 4000, "count": 50_000},
               "delivery_latency_us": {"p99": 2600, "count": 100_000},
               "server_cpu_us_per_delivery": 40.0, "cpu_unit": "ack"}
    STEPUP = {"steps": [
        {"rate": 5000, "acks_per_s": 5000.0, "latency_us": {"p99": 3000}, "sustained": True,
         "server_cpu_us_per_ack": 40.0},
        {"rate": 7500, "acks_per_s": 7400.0, "latency_us": {"p99": 9000}, "sustained": True,
         "server_cpu_us_per_ack": 35.0},
        {"rate": 11250, "acks_per_s": 8000.0, "latency_us": {"p99": 80_000},
         "sustained": False},
    ]}

    def test_the_peers_columns_show_a_dash(self):
        lines = report.scenario_table(BY_NAME["match"], {"parley": self.MATCH},
                                      ["parley", "node-ws", "workerd"])
        self.assertIn("| matches/s | 120,000 | — | — |", lines)
        self.assertIn("| match latency p99 | 12,000 µs | — | — |", lines)
        self.assertIn("| expiry probes that could not be judged | 1 | — | — |", lines)
        lines = report.scenario_table(BY_NAME["durable"], {"parley": self.DURABLE},
                                      ["parley", "node-ws"])
        self.assertIn("| acks/s | 5,000 | — |", lines)
        self.assertIn("| acknowledged of sent | 100% | — |", lines)
        self.assertIn("| chat delivery latency p99 | 2,600 µs | — |", lines)

    def test_durable_step_up_peak_is_the_best_sustained_step(self):
        lines = report.scenario_table(BY_NAME["durable-stepup"], {"parley": self.STEPUP},
                                      ["parley"])
        self.assertIn("| peak sustained acks/s | 7,400 |", lines)
        self.assertIn("| server CPU per ack at the peak | 35 µs |", lines)
        self.assertIn("| steps run | 3 |", lines)

    def test_targets_table_checks_match_and_shows_durable_figures(self):
        lines = report.targets_table({"match": {"parley": self.MATCH},
                                      "durable": {"parley": self.DURABLE},
                                      "durable-stepup": {"parley": self.STEPUP}})
        self.assertIn("| Match: matches/s on one node | ≥ 100,000 | 120,000 | **met** |", lines)
        self.assertIn("| Match: p99 from search to matched | ≤ 10,000 µs | 12,000 µs | "
                      "**missed** |", lines)
        self.assertIn("| Match: 30 s queue expiry under load, probes judged wrong | ≤ 0 | 0 | "
                      "**met** |", lines)
        self.assertIn("| Durable: acks/s at 5,000 messages/s offered | — | 5,000 | no target |",
                      lines)
        self.assertIn("| Durable: peak sustained acks/s | — | 7,400 | no target |", lines)


@unittest.skipUnless(PEERS_INSTALLED, "the peers are not installed (npm ci in bench/peers)")
class PeersTest(unittest.TestCase):
    def check(self, name):
        with tempfile.TemporaryDirectory() as tmp:
            server = Server(TARGETS[name], ROOT, PARLEY, os.path.join(tmp, "server.log"))
            with server:
                self.assertTrue(os.path.exists(f"/proc/{server.pid}"))
                self.assertIsNone(check_chat_server("127.0.0.1", server.port,
                                                    TARGETS[name].protocol))
            self.assertFalse(server.alive())

    def test_node_ws_speaks_seed_004(self):
        self.check("node-ws")

    def test_socketio_speaks_seed_004_over_socketio(self):
        self.check("socketio")

    def test_workerd_durable_object_speaks_seed_004(self):
        self.check("workerd")

    def test_workerd_reports_the_pid_of_workerd_not_of_its_start_script(self):
        with tempfile.TemporaryDirectory() as tmp:
            with Server(TARGETS["workerd"], ROOT, PARLEY, os.path.join(tmp, "log")) as server:
                self.assertNotEqual(server.pid, server.proc.pid)
                with open(f"/proc/{server.pid}/comm") as f:
                    self.assertEqual(f.read().strip(), "workerd")


@unittest.skipUnless(HAVE_PARLEY, f"no parley binary at {PARLEY}")
class ParleyCheckTest(unittest.TestCase):
    def test_parley_passes_the_same_protocol_check(self):
        with tempfile.TemporaryDirectory() as tmp:
            with Server(TARGETS["parley"], ROOT, PARLEY, os.path.join(tmp, "log")) as server:
                self.assertIsNone(check_chat_server("127.0.0.1", server.port))


@unittest.skipUnless(PEERS_INSTALLED and HAVE_PARLEY, "needs the peers and a parley binary")
class RunBenchTest(unittest.TestCase):
    """The whole pipeline with a stand-in generator whose figures are known."""

    def test_quick_run_writes_results_tables_targets_and_charts(self):
        out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, out)
        doc = os.path.join(out, "benchmarks.md")
        code = subprocess.run(
            [sys.executable, os.path.join(HERE, "run_bench.py"), "--quick",
             "--only", "fanout,fanout-stepup,idle,match", "--targets", "parley,node-ws",
             "--bench", FAKE_BENCH, "--parley", PARLEY, "--out", out, "--doc", doc],
            capture_output=True, text=True, timeout=180)
        self.assertEqual(code.returncode, 0, code.stdout + code.stderr)
        with open(os.path.join(out, "results", "fanout-node-ws.json")) as f:
            self.assertEqual(json.load(f)["server_cpu_us_per_delivery"], 8.0)
        with open(doc) as f:
            text = f.read()
        # node-ws costs 8 µs per delivery and parley 0.2 in the stand-in: parley is 40x better.
        self.assertIn("| server CPU per delivery | 0.2 µs | 8 µs (×40) |", text)
        self.assertIn("| Idle: memory per connection | ≤ 512 B | 400 B | **met** |", text)
        self.assertIn("| Connect: upgrades/s | ≥ 40,000 | — | not measured |", text)
        self.assertIn("Quick run", text)
        # match is parley's alone: node-ws is not run and shows a dash.
        self.assertFalse(os.path.exists(os.path.join(out, "results", "match-node-ws.json")))
        self.assertIn("| matches/s | 70,000 | — |", text)
        if shutil.which("gnuplot"):
            for chart in ("fanout-latency.png", "idle-rss.png"):
                self.assertGreater(os.path.getsize(os.path.join(out, "charts", chart)), 1000)

    def test_a_failing_generator_is_reported_not_hidden(self):
        out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, out)
        code = subprocess.run(
            [sys.executable, os.path.join(HERE, "run_bench.py"), "--quick", "--only", "join",
             "--targets", "node-ws", "--bench", "/bin/false", "--out", out],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(code.returncode, 1)
        self.assertIn("failed runs: join/node-ws", code.stderr)
        with open(os.path.join(out, "benchmarks-quick.md")) as f:
            self.assertIn("node-ws failed: parley-bench exited 1 without a result", f.read())


if __name__ == "__main__":
    unittest.main()
