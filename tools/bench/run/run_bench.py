#!/usr/bin/env python3
"""Runs parley's benchmarks: every scenario against parley and each peer server, with the
same load generator, then writes docs/benchmarks.md and its charts.

    run_bench.py                         every scenario, every server (about 15 minutes)
    run_bench.py --quick                 short and small: checks that everything works
    run_bench.py --only fanout,idle      some scenarios
    run_bench.py --targets parley,node-ws
    run_bench.py --report-only           rewrite the document from the last results

Builds nothing: `make bench` builds parley and parley-bench (Release) and installs the peers
(`npm ci` in bench/peers) first. Only a full run writes docs/benchmarks.md and docs/bench/;
a quick or partial run writes build/bench/benchmarks-{quick,partial}.md unless --doc is given.
Stdlib only.
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report  # noqa: E402
from scenarios import BY_NAME, SCENARIOS  # noqa: E402
from servers import TARGETS, Server, ServerError  # noqa: E402
from wsclient import check_chat_server  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="short durations, small loads")
    p.add_argument("--only", default="", help="scenarios, comma-separated: "
                   + ",".join(s.name for s in SCENARIOS))
    p.add_argument("--targets", default=",".join(TARGETS), help="servers, comma-separated: "
                   + ",".join(TARGETS))
    p.add_argument("--report-only", action="store_true",
                   help="run nothing; rewrite the document from the results of the last run")
    p.add_argument("--parley", default=os.path.join(ROOT, "build/release/src/app/parley"))
    p.add_argument("--bench", default=os.path.join(ROOT, "build/release/tools/bench/parley-bench"))
    p.add_argument("--threads", type=int, default=2, help="parley-bench --threads")
    p.add_argument("--out", default=os.path.join(ROOT, "build/bench"),
                   help="results, logs and chart data go here")
    p.add_argument("--note", default="", help="a sentence for the document's 'Where and when'")
    p.add_argument("--doc", help="the document to write (default: see above)")
    p.add_argument("--charts", help="folder of the PNG charts (default: see above)")
    args = p.parse_args(argv)
    args.only = [s for s in args.only.split(",") if s] or [s.name for s in SCENARIOS]
    args.targets = [t for t in args.targets.split(",") if t]
    for name in args.only:
        if name not in BY_NAME:
            p.error(f"unknown scenario {name!r}; known: {', '.join(BY_NAME)}")
    for name in args.targets:
        if name not in TARGETS:
            p.error(f"unknown target {name!r}; known: {', '.join(TARGETS)}")
    full = (not args.quick and set(args.only) == set(BY_NAME)
            and set(args.targets) == set(TARGETS))
    args.kind = "full" if full else "quick" if args.quick else "partial"
    return args


def output_paths(args, kind):
    """Only a full run (or --doc/--charts) writes into docs/."""
    full = kind == "full"
    doc = args.doc or (os.path.join(ROOT, "docs/benchmarks.md") if full
                       else os.path.join(args.out, f"benchmarks-{kind}.md"))
    charts = args.charts or (os.path.join(ROOT, "docs/bench") if full
                             else os.path.join(args.out, "charts"))
    return doc, charts


def _read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def _git(*args):
    done = subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def _version(cmd):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine_info(args, started):
    cpuinfo = _read("/proc/cpuinfo")
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal:")), 0)
    commit = _git("rev-parse", "--short=12", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--untracked-files=no"):
        commit += " with uncommitted changes"
    pkg = json.loads(_read(os.path.join(ROOT, "bench/peers/package.json"), "{}"))
    deps = ", ".join(f"{k} {v}" for k, v in sorted(pkg.get("dependencies", {}).items()))
    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": " ".join(platform.freedesktop_os_release().get(k, "") for k in ("PRETTY_NAME",))
        if hasattr(platform, "freedesktop_os_release") else platform.platform(),
        "commit": commit,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "peers": f"Node.js {_version(['node', '--version'])}; {deps or 'not installed'}",
        "command": "python3 tools/bench/run/run_bench.py " + " ".join(
            shlex.quote(a) for a in sys.argv[1:]),
        "quick": args.quick,
        "kind": args.kind,
        "note": args.note,
        "generator": os.path.relpath(args.bench, ROOT),
        "load_before": _read("/proc/loadavg").split(" ")[:3],
        "elapsed": "",
    }


def run_generator(args, scenario, server, out_json, log_path):
    """Runs parley-bench once against a started server; returns its result dict, with an
    "error" key when the run did not produce one."""
    duration = scenario.quick_duration if args.quick else scenario.duration
    cmd = [args.bench, scenario.command, "--host", "127.0.0.1", "--port", str(server.port),
           "--server-pid", str(server.pid), "--threads", str(args.threads),
           "--duration", str(duration), "--warmup", str(1 if args.quick else scenario.warmup),
           "--json", out_json, "--label", server.target.name,
           "--protocol", server.target.protocol,
           *(scenario.quick if args.quick else scenario.full)]
    if os.path.exists(out_json):
        os.remove(out_json)
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        log.flush()
        try:
            done = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT,
                                  timeout=scenario.timeout, stdin=subprocess.DEVNULL)
            code = done.returncode
        except subprocess.TimeoutExpired:
            return {"error": f"parley-bench ran over {scenario.timeout} s and was stopped"}
    try:
        with open(out_json) as f:
            result = json.load(f)
    except (OSError, ValueError) as e:
        tail = _read(log_path).strip().splitlines()[-3:]
        return {"error": f"parley-bench exited {code} without a result ({e}): "
                         + " / ".join(tail)}
    if code != 0:
        result["generator_exit_code"] = code
    return result


def run_one(args, scenario, target_name, dirs):
    target = TARGETS[target_name]
    base = f"{scenario.name}-{target_name}"
    server = Server(target, ROOT, args.parley, os.path.join(dirs["logs"], base + ".server.log"))
    try:
        server.start()
        problem = check_chat_server("127.0.0.1", server.port, target.protocol)
        if problem:
            result = {"error": f"failed the protocol check: {problem}"}
        else:
            result = run_generator(args, scenario, server,
                                   os.path.join(dirs["results"], base + ".json"),
                                   os.path.join(dirs["logs"], base + ".bench.log"))
        if not server.alive():
            result.setdefault("error", f"the server exited during the run "
                                       f"(code {server.proc.returncode})"
                                       f"{_last_words(server.log_path)}")
            # A peer that falls over under the load is a result about the peer, not a
            # broken measurement; parley falling over is always a failure.
            result["server_died"] = True
    except ServerError as e:
        result = {"error": str(e)}
    finally:
        server.stop()
    result.setdefault("scenario", scenario.name)
    result["label"] = target_name
    result["benchmark"] = scenario.name
    with open(os.path.join(dirs["results"], base + ".json"), "w") as f:
        json.dump(result, f, indent=2)
    return result


def summary_line(scenario, result):
    if result.get("error"):
        return "FAILED: " + result["error"]
    parts = []
    for label, read, unit, _ in report.figures.ROWS[scenario.name][:4]:
        parts.append(f"{label} {report.figures.fmt(read(result), unit)}")
    return "; ".join(parts)


def load_results(args, dirs):
    run = json.loads(_read(os.path.join(dirs["results"], "run.json"), "{}"))
    if not run:
        sys.exit(f"run_bench: no results in {dirs['results']}; run the benchmarks first")
    by_scenario = {}
    for scenario_name, target_name in run["runs"]:
        path = os.path.join(dirs["results"], f"{scenario_name}-{target_name}.json")
        result = json.loads(_read(path, "null")) or {"error": "result file missing"}
        by_scenario.setdefault(scenario_name, {})[target_name] = result
    return run["info"], run["targets"], by_scenario


def _last_words(log_path):
    """The server log's last line, as a hint of why it went down ('' when there is none)."""
    try:
        with open(log_path, errors="replace") as f:
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        return ""
    return f": {lines[-1][-160:]}" if lines else ""


def main(argv):
    args = parse_args(argv)
    dirs = {k: os.path.join(args.out, k) for k in ("results", "logs", "chart-data")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    if args.report_only:
        info, targets, by_scenario = load_results(args, dirs)
    else:
        missing = [p for p in (args.parley, args.bench) if not os.access(p, os.X_OK)]
        if "parley" not in args.targets and args.parley in missing:
            missing.remove(args.parley)
        if missing:
            sys.exit("run_bench: missing " + ", ".join(missing) + "; `make bench` builds them")
        peers = [t for t in args.targets if t != "parley"]
        if peers and not os.path.isdir(os.path.join(ROOT, "bench/peers/node_modules")):
            sys.exit("run_bench: the peers are not installed; run `npm ci` in bench/peers")
        started = time.monotonic()
        info, targets, by_scenario = machine_info(args, started), args.targets, {}
        runs = []
        for scenario in (BY_NAME[n] for n in args.only):
            for target_name in targets:
                if scenario.parley_only and target_name != "parley":
                    continue  # the peers do not speak this protocol
                t0 = time.monotonic()
                print(f"== {scenario.name} / {target_name}", flush=True)
                result = run_one(args, scenario, target_name, dirs)
                by_scenario.setdefault(scenario.name, {})[target_name] = result
                runs.append((scenario.name, target_name))
                print(f"   {summary_line(scenario, result)} ({time.monotonic() - t0:.0f} s)",
                      flush=True)
        elapsed = time.monotonic() - started
        info["elapsed"] = f"{elapsed // 60:.0f} min {elapsed % 60:.0f} s"
        info["load_after"] = _read("/proc/loadavg").split(" ")[:3]
        with open(os.path.join(dirs["results"], "run.json"), "w") as f:
            json.dump({"info": info, "targets": targets, "runs": runs}, f, indent=2)
    doc, chart_dir = output_paths(args, info.get("kind", "partial"))
    chart_paths, problems = report.charts(by_scenario, targets, chart_dir, dirs["chart-data"])
    os.makedirs(os.path.dirname(os.path.abspath(doc)), exist_ok=True)
    report.write_document(doc, info, by_scenario, targets, chart_paths, problems)
    for problem in problems:
        print("run_bench: " + problem, file=sys.stderr)
    print(f"run_bench: wrote {os.path.relpath(doc, ROOT)}; results in "
          f"{os.path.relpath(dirs['results'], ROOT)}")
    failed = [f"{s}/{t}" for s, r in by_scenario.items() for t, v in r.items()
              if v.get("error") and (t == "parley" or not v.get("server_died"))]
    peers_down = [f"{s}/{t}" for s, r in by_scenario.items() for t, v in r.items()
                  if v.get("error") and t != "parley" and v.get("server_died")]
    if peers_down:
        print("run_bench: peers that exited under load (reported): " + ", ".join(peers_down),
              file=sys.stderr)
    if failed:
        print("run_bench: failed runs: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
