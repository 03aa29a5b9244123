#!/usr/bin/env bash
# Starts the seed 004 Durable Object chat on workerd at 127.0.0.1:$PORT with its SQLite
# storage in $DATA_DIR (default: a new temporary directory), and prints
# `listening on PORT (pid WORKERD_PID)` once the port accepts connections. SIGTERM/SIGINT
# stop workerd (SIGKILL after 1 s).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${PORT:?PORT is required}
data_dir=${DATA_DIR:-$(mktemp -d -t parley-bench-workerd.XXXXXX)}
mkdir -p "$data_dir"

"$here/../node_modules/.bin/workerd" serve "$here/config.capnp" \
  --socket-addr "http=127.0.0.1:$port" --directory-path "do-storage=$data_dir" &
pid=$!
# workerd drains on SIGTERM and may wait on hibernated sockets for long: give it 1 s, then
# stop it for good.
stop() {
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  exit 0
}
trap stop TERM INT

for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "workerd exited before listening" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "listening on $port (pid $pid)"
    wait "$pid" || true
    exit 0
  fi
  sleep 0.1
done
echo "workerd did not listen on $port within 30 s" >&2
kill -TERM "$pid" 2>/dev/null || true
exit 1
