#!/usr/bin/env bash
# The wasm budget: builds the client as `make run` does (release, wasm-opt) and fails when
# the gzipped wasm is above the budget recorded in Cargo.toml
# ([workspace.metadata.pairs] wasm-gzip-budget, the measured size + 10 %). Prints the wasm
# and the JS glue, raw and gzipped, so a review sees what a change costs.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=$(sed -n 's/^wasm-gzip-budget = \([0-9]*\).*/\1/p' Cargo.toml)
if [ -z "$budget" ]; then
  echo "FAIL: no wasm-gzip-budget in Cargo.toml" >&2
  exit 1
fi
cargo leptos build --release --frontend-only
pkg=target/site/pkg
size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
wasm=$pkg/pairs.wasm
js=$pkg/pairs.js
for f in "$wasm" "$js"; do
  [ -f "$f" ] || { echo "FAIL: $f was not built" >&2; exit 1; }
done
wasm_gz=$(gz "$wasm")
echo "wasm: $(size "$wasm") bytes, $wasm_gz gzipped (budget $budget)"
echo "JS glue: $(size "$js") bytes, $(gz "$js") gzipped"
if [ "$wasm_gz" -gt "$budget" ]; then
  echo "FAIL: the gzipped wasm ($wasm_gz bytes) is above its budget ($budget bytes)" >&2
  exit 1
fi
echo "OK: the gzipped wasm is within its budget"
