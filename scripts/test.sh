#!/usr/bin/env bash
# `make test`: every suite, each step timed, with the table of where the minutes went
# printed at the end (also when a step fails).
#
# One debug build serves every Rust suite and the end-to-end suite: `.cargo/config.toml`
# gives plain cargo the same flags cargo-leptos uses, so `cargo test` builds the very
# `pairs` binary the browser tests run, and the browser tests use the release client that
# the wasm budget step builds (what `make run` ships). The build tools (cargo-leptos,
# wasm-bindgen, npm packages) install in the background while clippy and the Rust tests
# compile, since only the client build needs them: two builds on two cores fill each
# other's single-threaded stretches.
set -euo pipefail
pg_url=$1
cargo_leptos_version=$2
wasm_bindgen_version=$3
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-$PWD/target}

steps=()
times=()
started=$(date +%s)

print_table() {
  local status=$?
  local total=$(($(date +%s) - started))
  echo
  echo "==> make test: where the time went"
  printf '%-56s %9s\n' "step" "min:sec"
  for i in "${!steps[@]}"; do
    printf '%-56s %6d:%02d\n' "${steps[$i]}" $((times[i] / 60)) $((times[i] % 60))
  done
  printf '%-56s %6d:%02d\n' "total (wall clock)" $((total / 60)) $((total % 60))
  [ "$status" -eq 0 ] || echo "==> make test FAILED (exit $status)"
}
trap print_table EXIT

# step NAME COMMAND...: runs COMMAND and records its wall-clock time under NAME.
step() {
  local name=$1
  shift
  local t0
  t0=$(date +%s)
  echo "==> [$name]"
  "$@"
  steps+=("$name")
  times+=($(($(date +%s) - t0)))
}

step "system packages (Chromium, aiosmtpd, PostgreSQL)" scripts/install-test-tools.sh

# The build tools, in the background; their log is shown when they are waited for.
tools_log=$(mktemp)
tools_time=$(mktemp)
(
  t0=$(date +%s)
  scripts/install-tools.sh "$cargo_leptos_version" "$wasm_bindgen_version"
  echo $(($(date +%s) - t0)) >"$tools_time"
) >"$tools_log" 2>&1 &
tools_pid=$!

step "formatting (cargo fmt --check)" cargo fmt --all -- --check
step "clippy, warnings as errors" \
  cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
step "wasm dependency guard" scripts/check-wasm-deps.sh
step "Rust tests: unit, integration, SQLite + PostgreSQL" scripts/run-rust-tests.sh "$pg_url"

wait_tools() {
  local rc=0
  wait "$tools_pid" || rc=$?
  cat "$tools_log"
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: installing the build tools failed (exit $rc)" >&2
    return "$rc"
  fi
}
step "waiting for the build tools (in the background)" wait_tools
if [ -s "$tools_time" ]; then
  steps+=("  (build tools install, in the background)")
  times+=("$(cat "$tools_time")")
fi
rm -f "$tools_log" "$tools_time"

step "wasm budget (release client, as make run builds it)" scripts/check-wasm-size.sh

# A no-op when the flags match: the Rust tests already built this binary.
step "debug server (reused from the tests' build)" cargo build --package server --bin pairs

# The debug server the Rust tests built, serving the release client just built: its
# hashed file names are listed in the release hash file.
export PAIRS_BIN=$target_dir/debug/pairs
export LEPTOS_SITE_ROOT=$PWD/target/site
export LEPTOS_HASH_FILES=true
export LEPTOS_HASH_FILE_NAME=$target_dir/release/hash.txt
step "end-to-end suites in Chromium (SQLite, PostgreSQL)" scripts/run-e2e-tests.sh "$pg_url"
# `make bench` in its smoke mode: every step once on a small set with this debug server and
# the release client, figures printed, no target asserted; a change that breaks the
# benchmark script fails here. PAIRS_BENCH_POSTGRES_URL: its shared-state step's database.
step "benchmark script, smoke mode (make bench, small set)" \
  env BENCH_SMOKE=1 PAIRS_BENCH_POSTGRES_URL="$pg_url" scripts/bench.sh
