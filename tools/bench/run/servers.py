"""Starting and stopping the servers under test: parley and the peers in bench/peers.

Each server runs in its own process group with a fresh temporary data directory, and is
started anew for every scenario so one run's rooms, sockets and memory never leak into the
next. A server is ready when it prints its listening line; its output goes to a log file.
"""

import dataclasses
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

_PARLEY_READY = re.compile(r"parley listening on http://[^:]+:(\d+)")
_PEER_READY = re.compile(r"listening on (\d+)(?: \(pid (\d+)\))?")


@dataclasses.dataclass(frozen=True)
class Target:
    """A server to measure. `protocol` is the generator's --protocol for it."""

    name: str
    protocol: str
    description: str


TARGETS = {
    "parley": Target("parley", "seed004", "C++20, Release build"),
    "node-ws": Target("node-ws", "seed004", "Node.js + ws"),
    "socketio": Target("socketio", "socketio", "Node.js + Socket.IO 4, WebSocket transport"),
    "workerd": Target("workerd", "seed004", "seed 004 Durable Object on workerd"),
}


class ServerError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raise_fd_limit():
    # Children inherit the soft limit; give them the hard one, as parley-bench does itself.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Server:
    """One running server. Use as a context manager: stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, target, root, parley_bin, log_path):
        self.target = target
        self.root = root
        self.parley_bin = parley_bin
        self.log_path = log_path
        self.data_dir = tempfile.mkdtemp(prefix=f"parley-bench-{target.name}-")
        self.proc = None
        self.port = None
        self.pid = None  # the process to sample: workerd itself, not its start script
        self._ready = threading.Event()
        self._reader = None
        self._log = None

    def _command(self):
        peers = os.path.join(self.root, "bench", "peers")
        env = dict(os.environ)
        if self.target.name == "parley":
            # Rooms: one per pair and per idle connection in some scenarios; the default
            # 10,000 is a safety limit for users, not a cost being measured. The same for
            # pair rooms: an ended chat's room is kept one queue ttl (30 s), so the match
            # scenario's rate would reach the default 100,000 within seconds. The load
            # generators send from a few users far faster than a person, so the rate limits
            # are off ([rate] enabled = 0; loopback peers have no per-IP caps by default).
            cmd = [self.parley_bin, "--host", "127.0.0.1", "--port", "0", "--data-dir",
                   self.data_dir, "--log-level", "warn", "--max-rooms", "1000000",
                   "--match-max-pairs", "10000000", "--rate-enabled", "0"]
            return cmd, env, _PARLEY_READY
        port = free_port()
        env["PORT"] = str(port)
        env["DATA_DIR"] = self.data_dir
        scripts = {
            "node-ws": ["node", os.path.join(peers, "node-ws", "server.js")],
            "socketio": ["node", os.path.join(peers, "socketio", "server.js")],
            "workerd": [os.path.join(peers, "workerd", "start.sh")],
        }
        return scripts[self.target.name], env, _PEER_READY

    def start(self, timeout=30.0):
        cmd, env, ready = self._command()
        self._log = open(self.log_path, "w", buffering=1)
        try:
            self.proc = subprocess.Popen(
                cmd, cwd=self.data_dir, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=self._log, text=True,
                start_new_session=True, preexec_fn=_raise_fd_limit)
        except OSError as e:
            raise ServerError(f"cannot start {self.target.name}: {e}") from e
        self._reader = threading.Thread(target=self._read_stdout, args=(ready,), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.1):
            if self.proc.poll() is not None:
                raise ServerError(f"{self.target.name} exited with code {self.proc.returncode} "
                                  f"before listening; see {self.log_path}")
            if time.monotonic() > deadline:
                raise ServerError(f"{self.target.name} did not listen within {timeout:.0f} s; "
                                  f"see {self.log_path}")
        return self

    def _read_stdout(self, ready):
        for line in self.proc.stdout:
            self._log.write(line)
            match = ready.search(line)
            if match and not self._ready.is_set():
                self.port = int(match.group(1))
                pid = match.group(2) if match.lastindex and match.lastindex >= 2 else None
                self.pid = int(pid) if pid else self.proc.pid
                self._ready.set()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace=6.0):
        """SIGTERM to the server; SIGKILL to its process group if it has not exited in time.
        Returns the exit code (negative: killed by that signal)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group this Server created
        except ProcessLookupError:
            pass
        code = self.proc.wait()
        self._reader.join(2.0)  # EOF once every process of the group is gone
        self.proc.stdout.close()
        if self._log:
            self._log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        return code

    def __enter__(self):
        return self.start() if self.proc is None else self

    def __exit__(self, *exc):
        self.stop()
