#!/usr/bin/env bash
# Builds and runs every target of one kind in a configured Ninja build directory.
#
#   scripts/run-targets.sh fuzz  BUILD_DIR   each *_fuzz target for $FUZZ_SECONDS (default 60)
#                                            on tests/fuzz/corpus/<name>
#   scripts/run-targets.sh bench BUILD_DIR   each *_bench micro-benchmark
#
# A fuzz target parley_ws_frame_fuzz reads its corpus from tests/fuzz/corpus/ws_frame. New
# inputs libFuzzer finds go to BUILD_DIR/fuzz-corpus/<name>, crashes to
# BUILD_DIR/fuzz-artifacts/<name>/: copy a crasher into the corpus folder once it is fixed, so
# every build replays it.
set -euo pipefail

kind=${1:?usage: run-targets.sh fuzz|bench BUILD_DIR}
build_dir=${2:?usage: run-targets.sh fuzz|bench BUILD_DIR}
jobs=${JOBS:-2}
root=$(cd "$(dirname "$0")/.." && pwd)

case "$kind" in
  fuzz | bench) ;;
  *) echo "run-targets: unknown kind: $kind (fuzz or bench)" >&2; exit 2 ;;
esac

# Ninja lists every CMake target as "NAME: phony", next to CMake's own cmake_* helpers.
mapfile -t targets < <(ninja -C "$build_dir" -t targets all |
  sed -n "s/^\([A-Za-z0-9_]*_${kind}\): phony\$/\1/p" |
  grep -v '^cmake_' | sort -u)
if ((${#targets[@]} == 0)); then
  echo "run-targets: no *_${kind} targets in $build_dir"
  exit 0
fi
cmake --build "$build_dir" --target "${targets[@]}" -j"$jobs"

binary_of() {
  find "$build_dir" -type f -perm -u+x -name "$1" -print -quit
}

status=0
for target in "${targets[@]}"; do
  bin=$(binary_of "$target")
  if [[ -z "$bin" ]]; then
    echo "run-targets: built $target but cannot find its binary" >&2
    status=1
    continue
  fi
  if [[ "$kind" == bench ]]; then
    echo "== $target"
    "$bin" || status=1
    continue
  fi
  name=${target#parley_}
  name=${name%_fuzz}
  corpus="$root/tests/fuzz/corpus/$name"
  scratch="$build_dir/fuzz-corpus/$name"
  artifacts="$build_dir/fuzz-artifacts/$name"
  mkdir -p "$scratch" "$artifacts"
  dirs=("$scratch")
  if [[ -d "$corpus" ]]; then
    dirs+=("$corpus")
  else
    echo "run-targets: no corpus at $corpus; $target starts from nothing" >&2
  fi
  echo "== $target for ${FUZZ_SECONDS:-60}s on $corpus"
  if ! "$bin" -max_total_time="${FUZZ_SECONDS:-60}" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dirs[@]}"; then
    echo "run-targets: $target failed; the input is in $artifacts/" >&2
    status=1
  fi
done
exit "$status"
