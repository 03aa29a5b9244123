"""docs/benchmarks.md and its charts, written from the results of one run.

The document says where and how the figures were measured (machine, commit, date, servers,
method), then parley's performance targets with met/missed, then one table per scenario: parley's
figure, each peer's, and in brackets how many times better parley is.
"""

import os
import shutil
import subprocess

import figures
from scenarios import SCENARIOS
from servers import TARGETS

# Published figures for the peers on this machine class, to sanity-check ours.
REFERENCE = [
    ("workerd", "fanout", "server CPU per delivery", "~19 µs"),
    ("workerd", "fanout-stepup", "peak deliveries/s", "~70,000"),
    ("node-ws", "fanout", "server CPU per delivery", "~7.6 µs"),
    ("socketio", "fanout", "server CPU per delivery", "~11 µs"),
    ("workerd", "idle", "memory per idle connection", "~93 KB"),
    ("node-ws", "idle", "memory per idle connection", "~6 KB"),
    ("socketio", "idle", "memory per idle connection", "~18 KB"),
]

START_LINES = {
    "parley": "`build/release/src/app/parley --host 127.0.0.1 --port 0 --data-dir TMP "
              "--log-level warn --max-rooms 1000000 --match-max-pairs 10000000 --rate-enabled 0` "
              "(one shard "
              "per core; history in SQLite, `synchronous = full` as shipped)",
    "node-ws": "`PORT=P node bench/peers/node-ws/server.js` — one process, rooms and the last "
               "50 messages in memory, `perMessageDeflate: false`",
    "socketio": "`PORT=P node bench/peers/socketio/server.js` — `transports: ['websocket']`, "
                "path `/socket.io/`, `perMessageDeflate: false`, ping every 60 s; the "
                "generator runs with `--protocol socketio`",
    "workerd": "`PORT=P DATA_DIR=TMP bench/peers/workerd/start.sh` — runs `workerd serve "
               "bench/peers/workerd/config.capnp --socket-addr http=127.0.0.1:P "
               "--directory-path do-storage=TMP`: the seed's ChatRoom Durable Object "
               "(hibernation API, history in `ctx.storage.sql` on local disk), one object per "
               "room via `getByName(room)`",
}


def _cell(row, parley_result, result, is_parley):
    _, read, unit, kind = row
    if result is None:
        return "not run"
    if result.get("error"):
        return "failed"
    value = read(result)
    text = figures.fmt(value, unit)
    if is_parley or value is None or parley_result is None or parley_result.get("error"):
        return text
    r = figures.ratio(kind, read(parley_result), value)
    return f"{text} (×{figures.fmt(r)})" if r is not None else text


def scenario_table(scenario, results, targets, quick=False):
    """Markdown for one scenario; results: {target: result dict or None}."""
    parley = results.get("parley")
    load = " ".join((scenario.command,) + (scenario.quick if quick else scenario.full))
    seconds = scenario.quick_duration if quick else scenario.duration
    per = " per step" if "--step-up" in load else ""
    lines = [f"### {scenario.title}", "", scenario.what,
             f"Load: `parley-bench {load} --duration {seconds}`{per}.", ""]
    if scenario.parley_only:
        lines[-1:-1] = ["The peers do not speak this protocol: their columns show a dash."]
    lines.append("| | " + " | ".join(targets) + " |")
    lines.append("|---|" + "---:|" * len(targets))
    for row in figures.ROWS[scenario.name]:
        cells = ["—" if scenario.parley_only and t != "parley"
                 else _cell(row, parley, results.get(t), t == "parley") for t in targets]
        lines.append(f"| {row[0]} | " + " | ".join(cells) + " |")
    failures = [(t, r["error"]) for t, r in results.items() if r and r.get("error")]
    lines.append("")
    for target, error in failures:
        lines.append(f"- {target} failed: {error}")
    if failures:
        lines.append("")
    return lines


def targets_table(results_by_scenario):
    lines = ["| target | limit | parley | verdict |", "|---|---:|---:|---|"]
    for target in figures.TARGETS:
        text, scenario, _, op, limit, unit = target
        value, verdict = figures.check_target(target, results_by_scenario.get(scenario, {})
                                              .get("parley"))
        mark = {"met": "**met**", "missed": "**missed**"}.get(verdict, verdict)
        bound = (f"{op.replace('<=', '≤').replace('>=', '≥')} {figures.fmt(limit, unit)}"
                 if op else "—")
        lines.append(f"| {text} | {bound} | {figures.fmt(value, unit)} | {mark} |")
    return lines


def _gnuplot(script, cwd):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return "gnuplot is not installed (scripts/install-deps.sh --bench installs it)"
    done = subprocess.run([gnuplot], input=script, text=True, cwd=cwd, capture_output=True,
                          timeout=60)
    return None if done.returncode == 0 else done.stderr.strip()


def _style(i, width=2):
    return f"lw {width} pt {5 + i} ps 1.2 lc {i + 1}"


def charts(results_by_scenario, targets, chart_dir, data_dir):
    """Writes the PNG charts; returns ({name: png path}, [problems])."""
    os.makedirs(chart_dir, exist_ok=True)
    os.makedirs(data_dir, exist_ok=True)
    made, problems = {}, []
    steps = results_by_scenario.get("fanout-stepup", {})
    series = []
    for i, target in enumerate(targets):
        result = steps.get(target)
        rows = [s for s in (figures.get(result, "steps") or []) if result and not
                result.get("error") and s.get("deliveries_per_s")]
        if not rows:
            continue
        path = os.path.join(data_dir, f"stepup-{target}.dat")
        with open(path, "w") as f:
            f.write("# deliveries_per_s p50_ms p99_ms server_cpu_us_per_delivery\n")
            for s in rows:
                lat = s.get("latency_us") or {}
                cpu = s.get("server_cpu_us_per_delivery")
                f.write(f"{s['deliveries_per_s']} {(lat.get('p50') or 0) / 1000} "
                        f"{(lat.get('p99') or 0) / 1000} {cpu if cpu is not None else '?'}\n")
        series.append((i, target, path))
    header = ('set terminal pngcairo size 960,560 font "DejaVu Sans,11"\n'
              'set grid\nset key top left\nset logscale xy\n'
              'set xlabel "deliveries/s (log)"\n')
    if series:
        png = os.path.join(chart_dir, "fanout-latency.png")
        plots = ", ".join(
            f'"{p}" using 1:3 with linespoints {_style(i)} title "{t} p99", '
            f'"{p}" using 1:2 with linespoints {_style(i, 1)} dt 2 title "{t} p50"'
            for i, t, p in series)
        problem = _gnuplot(header + f'set output "{png}"\n'
                           'set title "Fan-out step-up (1,000 members): latency against load"\n'
                           'set ylabel "latency, ms (log)"\n'
                           f'plot {plots}, 50 with lines lw 1.5 lc rgb "#888888" dt 4 '
                           'title "p99 limit, 50 ms"\n',
                           data_dir)
        made["fanout-latency"] = png if not problem else None
        if problem:
            problems.append(f"fanout-latency chart: {problem}")
        png = os.path.join(chart_dir, "fanout-cpu.png")
        plots = ", ".join(f'"{p}" using 1:4 with linespoints {_style(i)} title "{t}"'
                          for i, t, p in series)
        problem = _gnuplot(header + f'set output "{png}"\nset datafile missing "?"\n'
                           'set title "Fan-out step-up: server CPU per delivery against load"\n'
                           'set ylabel "server CPU µs per delivery (log)"\n'
                           f"plot {plots}\n", data_dir)
        made["fanout-cpu"] = png if not problem else None
        if problem:
            problems.append(f"fanout-cpu chart: {problem}")
    idle = results_by_scenario.get("idle", {})
    bars = [(t, figures.get(idle.get(t), "rss_per_connection_bytes")) for t in targets
            if idle.get(t) and not idle[t].get("error")]
    bars = [(t, v) for t, v in bars if v is not None and v > 0]
    if bars:
        path = os.path.join(data_dir, "idle.dat")
        with open(path, "w") as f:
            f.write("# server kib_per_connection\n")
            for t, v in bars:
                f.write(f'"{t}" {v / 1024:.4f}\n')
        png = os.path.join(chart_dir, "idle-rss.png")
        problem = _gnuplot(
            'set terminal pngcairo size 760,480 font "DejaVu Sans,11"\n'
            f'set output "{png}"\nset title "Resident memory per idle WebSocket connection"\n'
            'set ylabel "KiB per connection (log)"\nset logscale y\nset grid ytics\n'
            'set style fill solid 0.7\nset boxwidth 0.6\nunset key\nset yrange [0.1:*]\n'
            f'plot "{path}" using 0:2:xtic(1) with boxes lc 1, '
            f'"" using 0:2:(sprintf("%.2f", $2)) with labels offset 0,1\n', data_dir)
        made["idle-rss"] = png if not problem else None
        if problem:
            problems.append(f"idle-rss chart: {problem}")
    return made, problems


def write_document(path, info, results_by_scenario, targets, chart_paths, problems):
    """Writes docs/benchmarks.md (or a quick run's copy) from one run's results."""
    doc_dir = os.path.dirname(os.path.abspath(path))
    rel = lambda p: os.path.relpath(p, doc_dir)  # noqa: E731
    out = ["# Benchmarks", ""]
    out += [
        "parley against three servers that speak the same seed 004 chat protocol, measured "
        "with the same load generator (`parley-bench`, tools/bench) on the same machine; "
        "durable messages and matchmaking use protocols only parley speaks, so they are "
        "measured for parley alone. This file is written by `make bench` (tools/bench/run/run_bench.py); do not edit it "
        "by hand. Raw results: `build/bench/results/*.json`.", ""]
    if info["quick"]:
        out += ["> **Quick run** (`--quick`): short durations and small loads, to check that "
                "everything works. The figures are not the targets' conditions.", ""]
    out += ["## Where and when", "",
            f"- Machine: {info['cores']} cores, {info['cpu_model']}, {info['memory']} of memory,"
            f" {info['os']}",
            f"- parley: commit `{info['commit']}`, Release build",
            f"- Date: {info['date']}; the whole run took {info['elapsed']}",
            f"- Load average (1, 5, 15 min) before the run: "
            f"{', '.join(info.get('load_before') or ['?'])}; after: "
            f"{', '.join(info.get('load_after') or ['?'])} — above {info['cores']} other "
            "work was competing for the cores and every figure is pessimistic",
            f"- Peers: {info['peers']}",
            f"- Command: `{info['command']}`"]
    if info.get("note"):
        out.append(f"- Note: {info['note']}")
    out.append("")
    out += ["## How it is measured", "",
            "- Every scenario starts each server anew with an empty temporary data directory, "
            "checks it with a short scripted conversation (join, history, chat to every member, "
            "leave), then runs `parley-bench` against it. Same generator, same flags, same "
            "machine for every server; only `--protocol socketio` differs for Socket.IO.",
            "- Load is open-loop: each sender follows a fixed schedule and latency is measured "
            "from the *scheduled* send time, so a server that stalls cannot hide it "
            "(no coordinated omission). Latency is from send to delivery on a sample of "
            "receivers, on one machine's monotonic clock.",
            "- Server CPU is the server process's user + system time from /proc over the "
            "measured window (after warm-up), divided by deliveries. Memory is the server's "
            "resident set (VmRSS). The generator reports its own CPU per delivery so a reader "
            "can see it was not the bottleneck.",
            "- Server and generator share the machine's cores: at saturation they compete, "
            "which caps every server's peak the same way. parley runs one shard per core; the "
            "Node peers are single-threaded by design, workerd runs one Durable Object per "
            "room on one thread.",
            "- In brackets: how many times better parley's figure is than the peer's "
            "(peer / parley for a cost, parley / peer for a throughput); above 1 parley wins.",
            ""]
    out += ["## The servers", ""]
    for target in targets:
        out.append(f"- **{target}**, {TARGETS[target].description}: {START_LINES[target]}")
    out += ["", "The peers' exact versions are pinned in `bench/peers/package.json` and "
            "`package-lock.json`; `npm ci` in bench/peers installs them (`make bench` does).", ""]
    out += ["## Performance targets", ""] + targets_table(results_by_scenario) + [""]
    out += ["Where a target is missed, docs/performance.md says where the time goes (profiles) "
            "and what is planned.", ""]
    out += ["## Results", ""]
    for scenario in SCENARIOS:
        results = results_by_scenario.get(scenario.name)
        if results is None:
            continue
        out += scenario_table(scenario, results, targets, info["quick"])
        if scenario.name == "fanout-stepup":
            for name in ("fanout-latency", "fanout-cpu"):
                if chart_paths.get(name):
                    out += [f"![{name}]({rel(chart_paths[name])})", ""]
        if scenario.name == "idle" and chart_paths.get("idle-rss"):
            out += [f"![idle-rss]({rel(chart_paths['idle-rss'])})", ""]
    out += ["## The peers against the figures measured elsewhere", "",
            "These are the figures published for the peers on this machine class; ours should land near "
            "them, or the comparison is suspect.", "",
            "| server | figure | quoted | measured here |", "|---|---|---:|---:|"]
    for target, scenario, label, quoted in REFERENCE:
        if target not in targets:
            continue
        result = results_by_scenario.get(scenario, {}).get(target)
        if scenario == "fanout-stepup":
            value = figures.fmt(figures.get(figures.peak_step(result) or {}, "deliveries_per_s")
                                if result else None)
        elif scenario == "idle":
            v = figures.get(result, "rss_per_connection_bytes") if result else None
            value = figures.fmt(v / 1000 if v is not None else None, "KB")
        else:
            value = figures.fmt(figures.get(result, "server_cpu_us_per_delivery")
                                if result else None, "µs")
        out.append(f"| {target} | {label} | {quoted} | {value} |")
    out.append("")
    if problems:
        out += ["## Problems in this run", ""] + [f"- {p}" for p in problems] + [""]
    out += ["## Running it", "",
            "```sh",
            "make bench                      # everything, about 15 minutes on 2 cores",
            "make bench-quick                # a 3-minute smoke run; writes build/bench/",
            "python3 tools/bench/run/run_bench.py --only fanout,idle --targets parley,node-ws",
            "python3 tools/bench/run/run_bench.py --report-only   # rewrite this file from "
            "build/bench/results",
            "```", ""]
    with open(path, "w") as f:
        f.write("\n".join(out))
