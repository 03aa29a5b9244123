"""Figures read out of parley-bench's JSON results, and the issue's targets checked on them.

A result is the JSON object parley-bench writes with --json (plus "error" when the run
failed). Every function here tolerates missing keys: a figure that is absent is None and is
shown as a dash, never as zero.
"""

import math

# The step-up's stop rule, the same as parley-bench's: a step is sustained while p99 <= 50 ms
# and at least 90% of the expected deliveries arrive.
SUSTAINED_P99_US = 50_000
SUSTAINED_FRACTION = 0.9


def get(result, *path):
    value = result
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _param(result, name):
    value = get(result, "params", name)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def step_expected_per_s(result, step):
    """Deliveries/s a step asks for: its message rate times the members of the room."""
    if step.get("expected_deliveries_per_s") is not None:
        return step["expected_deliveries_per_s"]
    members = _param(result, "members")
    rate = step.get("rate")
    return rate * members if rate is not None and members else None


def step_sustained(result, step):
    p99 = get(step, "latency_us", "p99")
    rate = step.get("deliveries_per_s")
    expected = step_expected_per_s(result, step)
    if p99 is None or rate is None:
        return False
    return p99 <= SUSTAINED_P99_US and (expected is None or rate >= SUSTAINED_FRACTION * expected)


def peak_step(result):
    """The step with the most deliveries/s among the sustained ones (None if none was)."""
    steps = [s for s in (get(result, "steps") or []) if step_sustained(result, s)]
    return max(steps, key=lambda s: s["deliveries_per_s"]) if steps else None


def delivered_fraction(result):
    deliveries = get(result, "deliveries")
    expected = get(result, "expected_deliveries")
    if deliveries is None or not expected:
        return None
    return deliveries / expected


# One row of a scenario's table: label, how to read it from a result, unit, and whether a
# higher figure is better (throughput) or worse (cost); None: shown without a ratio.
def _peak(key):
    def read(result):
        step = peak_step(result)
        return get(step, *key) if step else None
    return read


def _path(*path):
    def read(result):
        # A histogram with no samples reports zeros: that is "not measured", not 0 µs.
        if path[0].endswith("latency_us") and get(result, path[0], "count") == 0:
            return None
        return get(result, *path)
    return read


def _cpu_us_per(count_key):
    """Server CPU µs per upgrade or join: CPU over the window / (rate x window)."""
    def read(result):
        cpu, rate, seconds = (get(result, "server_cpu_s"), get(result, count_key),
                              get(result, "duration_s"))
        if cpu is None or not rate or not seconds:
            return None
        return cpu * 1e6 / (rate * seconds)
    return read


def _fraction_pct(result):
    fraction = delivered_fraction(result)
    return None if fraction is None else 100.0 * fraction


_LATENCY = [
    ("latency p50", _path("latency_us", "p50"), "µs", "cost"),
    ("latency p99", _path("latency_us", "p99"), "µs", "cost"),
    ("latency p99.9", _path("latency_us", "p999"), "µs", "cost"),
]
_CPU = [
    ("server CPU per delivery", _path("server_cpu_us_per_delivery"), "µs", "cost"),
    ("server RSS at the end", _path("server_rss_kb"), "KiB", "cost"),
    ("generator CPU per delivery", _path("generator_cpu_us_per_delivery"), "µs", None),
]
_DELIVERY = [
    ("deliveries/s", _path("deliveries_per_s"), "", "throughput"),
    ("delivered of expected", _fraction_pct, "%", None),
]

def _acked_pct(result):
    acks, sent = get(result, "acks"), get(result, "sent")
    return 100.0 * acks / sent if acks is not None and sent else None


def durable_peak_step(result):
    """durable --step-up: the sustained step (as parley-bench judged it) with the most acks/s."""
    steps = [s for s in (get(result, "steps") or [])
             if s.get("sustained") and s.get("acks_per_s") is not None]
    return max(steps, key=lambda s: s["acks_per_s"]) if steps else None


def _durable_peak(*key):
    def read(result):
        step = durable_peak_step(result)
        return get(step, *key) if step else None
    return read


ROWS = {
    "fanout": _DELIVERY + _LATENCY + _CPU + [("drops", _path("drops"), "", None)],
    "fanout-stepup": [
        ("peak sustained deliveries/s", _peak(("deliveries_per_s",)), "", "throughput"),
        ("latency p99 at the peak", _peak(("latency_us", "p99")), "µs", "cost"),
        ("server CPU per delivery at the peak", _peak(("server_cpu_us_per_delivery",)), "µs",
         "cost"),
        ("steps run", lambda r: len(get(r, "steps") or []) or None, "", None),
    ],
    "pairs": _DELIVERY + _LATENCY + _CPU + [("drops", _path("drops"), "", None)],
    "pairs-100k": _DELIVERY + _LATENCY + _CPU + [("drops", _path("drops"), "", None)],
    "idle": [
        ("RSS per idle connection", _path("rss_per_connection_bytes"), "B", "cost"),
        ("server RSS with every connection open", _path("server_rss_kb"), "KiB", "cost"),
        ("connect errors", _path("connect_errors"), "", None),
    ],
    "connect": [
        ("upgrades/s", _path("upgrades_per_s"), "", "throughput"),
        ("latency p50", _path("latency_us", "p50"), "µs", "cost"),
        ("latency p99", _path("latency_us", "p99"), "µs", "cost"),
        ("server CPU per upgrade", _cpu_us_per("upgrades_per_s"), "µs", "cost"),
        ("connect errors", _path("connect_errors"), "", None),
    ],
    "durable": [
        ("acks/s", _path("acks_per_s"), "", "throughput"),
        ("acknowledged of sent", _acked_pct, "%", None),
        ("ack latency p50", _path("latency_us", "p50"), "µs", "cost"),
        ("ack latency p99", _path("latency_us", "p99"), "µs", "cost"),
        ("ack latency p99.9", _path("latency_us", "p999"), "µs", "cost"),
        ("chat delivery latency p99", _path("delivery_latency_us", "p99"), "µs", "cost"),
        ("server CPU per ack", _path("server_cpu_us_per_delivery"), "µs", "cost"),
        ("server RSS at the end", _path("server_rss_kb"), "KiB", "cost"),
        ("generator CPU per ack", _path("generator_cpu_us_per_delivery"), "µs", None),
        ("drops", _path("drops"), "", None),
    ],
    "durable-stepup": [
        ("peak sustained acks/s", _durable_peak("acks_per_s"), "", "throughput"),
        ("ack latency p99 at the peak", _durable_peak("latency_us", "p99"), "µs", "cost"),
        ("server CPU per ack at the peak", _durable_peak("server_cpu_us_per_ack"), "µs", "cost"),
        ("steps run", lambda r: len(get(r, "steps") or []) or None, "", None),
    ],
    "match": [
        ("matches/s", _path("matches_per_s"), "", "throughput"),
        ("match latency p50", _path("latency_us", "p50"), "µs", "cost"),
        ("match latency p99", _path("latency_us", "p99"), "µs", "cost"),
        ("match latency p99.9", _path("latency_us", "p999"), "µs", "cost"),
        ("server CPU per match", _path("server_cpu_us_per_delivery"), "µs", "cost"),
        ("server RSS at the end", _path("server_rss_kb"), "KiB", "cost"),
        ("generator CPU per match", _path("generator_cpu_us_per_delivery"), "µs", None),
        ("refused searches and other error frames", _path("error_frames"), "", None),
        ("expiry probes judged right", _path("expiry_probes", "correct"), "", None),
        ("expiry probes judged wrong", _path("expiry_probes", "wrong"), "", None),
        ("expiry probes that could not be judged", _path("expiry_probes", "inconclusive"), "",
         None),
    ],
    "join": [
        ("joins/s", _path("joins_per_s"), "", "throughput"),
        ("join latency p50", _path("latency_us", "p50"), "µs", "cost"),
        ("join latency p99", _path("latency_us", "p99"), "µs", "cost"),
        ("server CPU per join", _cpu_us_per("joins_per_s"), "µs", "cost"),
        ("connect errors", _path("connect_errors"), "", None),
    ],
}


def ratio(kind, parley, peer):
    """How many times better parley is than the peer: peer/parley for a cost, parley/peer
    for a throughput. None when either figure is missing or zero."""
    if kind is None or parley is None or peer is None or parley <= 0 or peer <= 0:
        return None
    return peer / parley if kind == "cost" else parley / peer


# The targets for parley: (text, scenario, reader, comparison, limit, unit).
def _p99_if_sustained(result):
    fraction = delivered_fraction(result)
    if fraction is not None and fraction < SUSTAINED_FRACTION:
        return None
    return get(result, "latency_us", "p99")


def _ack_p99_if_sustained(result):
    fraction = _acked_pct(result)
    if fraction is not None and fraction < 100 * SUSTAINED_FRACTION:
        return None
    return get(result, "latency_us", "p99")


def _expiry_wrong_if_judged(result):
    """Probes judged wrong, once at least one probe was judged; None when none was."""
    if not get(result, "expiry_probes", "correct") and not get(result, "expiry_probes", "wrong"):
        return None
    return get(result, "expiry_probes", "wrong")


def _join_p99_at_rate(result):
    rate, wanted = get(result, "joins_per_s"), _param(result, "rate")
    if rate is not None and wanted and rate < SUSTAINED_FRACTION * wanted:
        return None
    return get(result, "latency_us", "p99")


TARGETS = [
    ("Fan-out: server CPU per delivery at saturation", "fanout-stepup",
     _peak(("server_cpu_us_per_delivery",)), "<=", 0.25, "µs"),
    ("Fan-out: deliveries/s with p99 <= 50 ms", "fanout-stepup",
     _peak(("deliveries_per_s",)), ">=", 4_000_000, ""),
    ("Fan-out: server CPU per delivery at 50k deliveries/s", "fanout",
     _path("server_cpu_us_per_delivery"), "<=", 5, "µs"),
    ("Pairs: server CPU per delivery", "pairs", _path("server_cpu_us_per_delivery"), "<=", 10,
     "µs"),
    ("Pairs: p99 at 20k messages/s", "pairs", _p99_if_sustained, "<=", 1000, "µs"),
    ("Pairs: p99 at 100k messages/s", "pairs-100k", _p99_if_sustained, "<=", 5000, "µs"),
    ("Idle: memory per connection", "idle", _path("rss_per_connection_bytes"), "<=", 512, "B"),
    ("Connect: upgrades/s", "connect", _path("upgrades_per_s"), ">=", 40_000, ""),
    ("Join with 50 messages of history: p99 at 2,000 joins/s", "join", _join_p99_at_rate, "<=",
     3000, "µs"),
    ("Match: matches/s on one node", "match", _path("matches_per_s"), ">=", 100_000, ""),
    ("Match: p99 from search to matched", "match", _path("latency_us", "p99"), "<=", 10_000, "µs"),
    ("Match: 30 s queue expiry under load, probes judged wrong", "match",
     _expiry_wrong_if_judged, "<=", 0, ""),
    # Durable messages have no target yet: their figures are shown for the record.
    ("Durable: acks/s at 5,000 messages/s offered", "durable", _path("acks_per_s"), None, None,
     ""),
    ("Durable: ack p99 at 5,000 messages/s", "durable", _ack_p99_if_sustained, None, None, "µs"),
    ("Durable: server CPU per acknowledged message", "durable",
     _path("server_cpu_us_per_delivery"), None, None, "µs"),
    ("Durable: peak sustained acks/s", "durable-stepup", _durable_peak("acks_per_s"), None, None,
     ""),
]


def check_target(target, result):
    """Returns (value, verdict): verdict "met", "missed", "not measured", or "no target" for a
    figure shown without a limit."""
    _, _, read, op, limit, _ = target
    value = read(result) if result and not result.get("error") else None
    if value is None:
        return None, "not measured"
    if op is None:
        return value, "no target"
    ok = value <= limit if op == "<=" else value >= limit
    return value, "met" if ok else "missed"


def fmt(value, unit=""):
    """A figure for a table: 3 significant digits, thousands separated, unit attached."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer() or abs(value) < 100:
        text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
        if "e" in text:
            text = f"{value:,.0f}"
    else:
        text = f"{value:,.0f}"
    return f"{text} {unit}".rstrip() if unit not in ("", "%") else text + unit
