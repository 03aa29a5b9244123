# parley: build, run and test from a fresh Debian 12 checkout.
#
#   make run           install build packages, Release build, start parley (./parley.toml, ./data)
#   make test          sanitizer build (ASan+UBSan) and every test, browser tests included
#   make build         Release build of everything in build/release
#   make fuzz          clang build; each fuzz target runs FUZZ_SECONDS on its corpus
#   make bench         parley against Node ws, Socket.IO and workerd: docs/benchmarks.md
#   make bench-quick   the same, short and small (a smoke run into build/bench/)
#   make format        clang-format src/ tests/ tools/ in place (format-check: only report)
#   make clean         remove build/ (never ./data)
#
# Extra flags for parley: make run ARGS="--port 0 --log-level debug"

JOBS ?= 2
FUZZ_SECONDS ?= 60
ARGS ?=
CLANG_FORMAT ?= $(shell command -v clang-format-14 || command -v clang-format)

RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
E2E_DIR := tests/e2e

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: run test build fuzz bench bench-quick bench-micro bench-build bench-deps format format-check clean deps test-deps

deps:
	scripts/install-deps.sh

test-deps:
	scripts/install-deps.sh --test

# Configure once; afterwards Ninja re-runs CMake by itself when a CMakeLists.txt changes.
$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_SANITIZE=ON

# libFuzzer needs clang; only the fuzz targets are built here, so tests are left out.
$(FUZZ_DIR)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DPARLEY_FUZZ=ON -DPARLEY_TESTS=OFF

run: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) --target parley -j$(JOBS)
	exec ./$(RELEASE_DIR)/src/app/parley --data-dir ./data $(ARGS)

build: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j$(JOBS)

# npm ci only when package-lock.json is newer than the installed tree.
$(E2E_DIR)/node_modules/.package-lock.json: $(E2E_DIR)/package-lock.json
	cd $(E2E_DIR) && npm ci --no-audit --no-fund
	touch $@

test: export ASAN_OPTIONS = detect_leaks=1
test: export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
test: test-deps $(ASAN_DIR)/build.ninja $(if $(wildcard $(E2E_DIR)/package-lock.json),$(E2E_DIR)/node_modules/.package-lock.json)
	cmake --build $(ASAN_DIR) -j$(JOBS)
	ctest --test-dir $(ASAN_DIR) --output-on-failure -j$(JOBS)

fuzz: test-deps $(FUZZ_DIR)/build.ninja
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/run-targets.sh fuzz $(FUZZ_DIR)

# parley against the peers in bench/peers (Node ws, Socket.IO, workerd) with parley-bench:
# writes docs/benchmarks.md and docs/bench/*.png (about 15 minutes on 2 cores).
# bench-quick: a short smoke run into build/bench/. BENCH_ARGS: more flags for run_bench.py
# (--only fanout,idle --targets parley,node-ws ...). bench-micro: the *_bench micro-benchmarks.
BENCH_ARGS ?=
BENCH_PEERS := bench/peers

$(BENCH_PEERS)/node_modules/.package-lock.json: $(BENCH_PEERS)/package-lock.json
	cd $(BENCH_PEERS) && npm ci --no-audit --no-fund
	touch $@

bench-deps:
	scripts/install-deps.sh --bench

bench-build: bench-deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) --target parley parley-bench -j$(JOBS)

bench: bench-build $(BENCH_PEERS)/node_modules/.package-lock.json
	python3 tools/bench/run/run_bench.py $(BENCH_ARGS)

bench-quick: bench-build $(BENCH_PEERS)/node_modules/.package-lock.json
	python3 tools/bench/run/run_bench.py --quick $(BENCH_ARGS)

bench-micro: deps $(RELEASE_DIR)/build.ninja
	JOBS=$(JOBS) scripts/run-targets.sh bench $(RELEASE_DIR)

FORMAT_FILES = $(shell find $(wildcard src tests tools) -name node_modules -prune -o \
                 -type f \( -name '*.h' -o -name '*.cc' \) -print)

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build
