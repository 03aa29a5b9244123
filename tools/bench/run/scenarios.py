"""The benchmark scenarios: what parley-bench runs, with which load, in a full and a quick run.

Sizes fit this project's machines: 2 cores shared by the server and the generator, and at
most 20,000 open files per process, so pairs use 5,000 rooms (10,000 sockets) and idle holds
15,000 sockets. A full run of every scenario against four servers takes about 15 minutes, plus about 2 for
the parley-only ones (durable messages, matchmaking).
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str  # the results' name (also the file name)
    command: str  # parley-bench's SCENARIO argument
    title: str
    what: str  # one sentence for docs/benchmarks.md
    full: tuple  # extra parley-bench arguments
    quick: tuple
    duration: int  # seconds measured (for step-up: per step)
    quick_duration: int
    warmup: int = 2
    timeout: int = 240  # hard limit for the generator process, seconds
    # Protocols only parley speaks (native v1, the random-chat socket): the peers are not
    # run and show a dash.
    parley_only: bool = False


SCENARIOS = [
    Scenario(
        "fanout", "fanout", "Fan-out at 50,000 deliveries/s",
        "1,000 members in one room, 10 of them sending 50 messages/s in total (128 bytes): "
        "every message is delivered to all 1,000 members.",
        ("--members", "1000", "--senders", "10", "--rate", "50", "--size", "128"),
        ("--members", "200", "--senders", "4", "--rate", "250", "--size", "128"),
        duration=10, quick_duration=3),
    Scenario(
        "fanout-stepup", "fanout", "Fan-out step-up to saturation",
        "The same room; the send rate starts at 50 messages/s (50,000 deliveries/s) and grows "
        "1.5x per step until p99 exceeds 50 ms or fewer than 90% of deliveries arrive.",
        ("--members", "1000", "--senders", "10", "--rate", "50", "--size", "128", "--step-up"),
        ("--members", "200", "--senders", "4", "--rate", "250", "--size", "128", "--step-up"),
        duration=5, quick_duration=2, timeout=420),
    Scenario(
        "pairs", "pairs", "Pairs at 20,000 messages/s",
        "5,000 rooms of two members (10,000 sockets), 20,000 messages/s in total (128 bytes), "
        "each delivered to both members.",
        ("--pairs", "5000", "--rate", "20000", "--size", "128"),
        ("--pairs", "500", "--rate", "5000", "--size", "128"),
        duration=10, quick_duration=3),
    Scenario(
        "pairs-100k", "pairs", "Pairs at 100,000 messages/s",
        "The same 5,000 rooms at 100,000 messages/s in total.",
        ("--pairs", "5000", "--rate", "100000", "--size", "128"),
        ("--pairs", "500", "--rate", "20000", "--size", "128"),
        duration=10, quick_duration=3),
    Scenario(
        "idle", "idle", "Idle connections",
        "15,000 WebSocket connections that joined and then stay silent; the server's resident "
        "memory after minus before, per connection.",
        ("--connections", "15000",),
        ("--connections", "2000",),
        duration=10, quick_duration=3),
    Scenario(
        "connect", "connect", "Connection rate",
        "50 clients at a time connect, upgrade, wait for the first frame and close, over and over.",
        ("--concurrency", "50",),
        ("--concurrency", "50",),
        duration=10, quick_duration=3),
    Scenario(
        "join", "join", "Joins with 50 messages of history",
        "2,000 joins/s into a room holding 50 messages; latency from connect to the presence "
        "frame that follows the history.",
        ("--rate", "2000", "--history", "50"),
        ("--rate", "500", "--history", "50"),
        duration=10, quick_duration=3),
    Scenario(
        "durable", "durable", "Durable messages with acknowledgements (parley only)",
        "1,000 rooms of two members on parley's native protocol (`/v1/ws`), both sending, "
        "5,000 messages/s in total (128 bytes), each with a clientId: the sender's ack comes "
        "once the message is durable in SQLite. Latency is from the scheduled send to the ack.",
        ("--rooms", "1000", "--room-members", "2", "--rate", "5000", "--size", "128"),
        ("--rooms", "100", "--room-members", "2", "--rate", "1000", "--size", "128"),
        duration=10, quick_duration=3, parley_only=True),
    Scenario(
        "durable-stepup", "durable", "Durable messages step-up to saturation (parley only)",
        "The same rooms; the rate starts at 500 messages/s and grows 1.5x per step until the "
        "ack p99 exceeds 50 ms or fewer than 90% of the step's messages are acknowledged.",
        ("--rooms", "1000", "--room-members", "2", "--rate", "500", "--size", "128",
         "--step-up"),
        ("--rooms", "100", "--room-members", "2", "--rate", "500", "--size", "128",
         "--step-up", "--max-steps", "3"),
        duration=5, quick_duration=2, timeout=420, parley_only=True),
    Scenario(
        "match", "match", "Random-chat matchmaking (parley only)",
        "2,000 clients on the random-chat socket (`/ws`), all searching in a closed loop: "
        "search, matched, one of the two ends the chat, both search again. Latency is from a "
        "search to its `matched`. Meanwhile four expiry probes (seed 000 users on "
        "`POST /api/match`, see tools/bench/expiry_probe.h) check that a waiting user can be "
        "matched until exactly 30 s after its post and not after.",
        ("--clients", "2000", "--expiry-probes", "30"),
        ("--clients", "200"),
        duration=32, quick_duration=3, parley_only=True),
]

BY_NAME = {s.name: s for s in SCENARIOS}
