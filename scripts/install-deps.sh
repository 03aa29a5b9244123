#!/usr/bin/env bash
# Installs the Debian packages parley needs, and only those that are missing.
#
#   scripts/install-deps.sh            packages to build parley
#   scripts/install-deps.sh --test     also what the tests need (fuzzing, browser tests)
#   scripts/install-deps.sh --bench    also what `make bench` needs (Node.js for the peers, gnuplot)
#   scripts/install-deps.sh --dry-run  print what would be installed, install nothing
#
# Runs apt-get update once, and only when something is missing. Uses sudo when not root.
set -euo pipefail

BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-system-dev libsqlite3-dev libsimdjson-dev libfmt-dev libspdlog-dev
  libtoml11-dev libcli11-dev libssl-dev libgtest-dev libbenchmark-dev liblz4-dev zlib1g-dev libsodium-dev
)
TEST_PACKAGES=(clang libclang-rt-14-dev chromium nodejs npm)
BENCH_PACKAGES=(nodejs npm gnuplot-nox)

# A package whose command is already on PATH (installed from another source, e.g. npm from
# nodesource) counts as present; installing the Debian one beside it would conflict.
declare -A COMMAND_OF=([nodejs]=node [npm]=npm [chromium]=chromium [gnuplot-nox]=gnuplot)

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }

with_tests=0
with_bench=0
dry_run=0
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=1 ;;
    --bench) with_bench=1 ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install-deps: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

packages=("${BUILD_PACKAGES[@]}")
if ((with_tests)); then packages+=("${TEST_PACKAGES[@]}"); fi
if ((with_bench)); then packages+=("${BENCH_PACKAGES[@]}"); fi
# A package asked for twice (nodejs by --test and --bench) is checked once.
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | awk '!seen[$0]++')

is_present() {
  local pkg=$1 cmd=${COMMAND_OF[$1]:-}
  if [[ -n "$cmd" ]] && command -v "$cmd" >/dev/null 2>&1; then return 0; fi
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" == "installed" ]]
}

missing=()
for pkg in "${packages[@]}"; do
  is_present "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: missing: ${missing[*]}"
if ((dry_run)); then exit 0; fi

as_root=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and sudo is not installed; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
