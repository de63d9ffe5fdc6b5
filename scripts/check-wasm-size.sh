#!/usr/bin/env bash
# The wasm budget: builds the client as `make run` does (release, wasm-opt, hashed names,
# gzip and brotli copies) and fails when
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
cargo leptos build --release --frontend-only --precompress
pkg=target/site/pkg
size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
# Content-hashed names (hash-files): pairs.HASH.wasm, pairs.HASH.js.
wasm=$(ls "$pkg"/pairs.*.wasm 2>/dev/null | head -n1)
js=$(ls "$pkg"/pairs.*.js 2>/dev/null | head -n1)
for f in "$wasm" "$js"; do
  [ -n "$f" ] && [ -f "$f" ] || { echo "FAIL: the hashed wasm and JS were not built in $pkg" >&2; exit 1; }
  # Compressed once, at build time, for the server to send as they are.
  for c in gz br; do
    [ -f "$f.$c" ] || { echo "FAIL: $f.$c was not written (--precompress)" >&2; exit 1; }
  done
done
wasm_gz=$(gz "$wasm")
echo "wasm: $(size "$wasm") bytes, $wasm_gz gzipped (budget $budget)"
echo "JS glue: $(size "$js") bytes, $(gz "$js") gzipped"
if [ "$wasm_gz" -gt "$budget" ]; then
  echo "FAIL: the gzipped wasm ($wasm_gz bytes) is above its budget ($budget bytes)" >&2
  exit 1
fi
echo "OK: the gzipped wasm is within its budget"
