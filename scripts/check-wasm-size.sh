#!/usr/bin/env bash
# The wasm budget: builds the client as `make run` does (release, wasm-opt, lazy islands
# split out, hashed names, gzip and brotli copies) and fails when what one page loads —
# the shared wasm plus, for each island, the chunks the split manifest lists for it — is
# above the budget recorded in Cargo.toml ([workspace.metadata.pairs] wasm-gzip-budget, the
# measured size + 10 %). Prints every page's total and the JS glue, gzipped, so a review
# sees what a change costs.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=$(sed -n 's/^wasm-gzip-budget = \([0-9]*\).*/\1/p' Cargo.toml)
if [ -z "$budget" ]; then
  echo "FAIL: no wasm-gzip-budget in Cargo.toml" >&2
  exit 1
fi
cargo leptos build --release --frontend-only --precompress --split
pkg=target/site/pkg
for f in "$pkg"/pairs.*.wasm "$pkg"/pairs.*.js "$pkg"/__wasm_split_manifest.*.json; do
  [ -f "$f" ] || { echo "FAIL: $f was not built" >&2; exit 1; }
done
# Compressed once, at build time, for the server to send as they are.
for f in "$pkg"/*.wasm "$pkg"/pairs.*.js; do
  for c in gz br; do
    [ -f "$f.$c" ] || { echo "FAIL: $f.$c was not written (--precompress)" >&2; exit 1; }
  done
done
/usr/bin/python3 - "$pkg" "$budget" <<'PY'
import glob, gzip, json, os, sys
pkg, budget = sys.argv[1], int(sys.argv[2])
gz = lambda path: len(gzip.compress(open(path, "rb").read(), 9))
main = glob.glob(os.path.join(pkg, "pairs.*.wasm"))[0]
js = glob.glob(os.path.join(pkg, "pairs.*.js"))[0]
manifest = json.load(open(glob.glob(os.path.join(pkg, "__wasm_split_manifest.*.json"))[0]))
base = gz(main)
print(f"shared wasm: {os.path.getsize(main)} bytes, {base} gzipped")
print(f"JS glue: {os.path.getsize(js)} bytes, {gz(js)} gzipped")
worst = base
for island, chunks in sorted(manifest.items()):
    total = base + sum(gz(os.path.join(pkg, c + ".wasm")) for c in chunks)
    worst = max(worst, total)
    print(f"page with {island.rsplit('_', 2)[0]}: {total} bytes gzipped")
everything = sum(gz(p) for p in glob.glob(os.path.join(pkg, "*.wasm")))
print(f"all wasm files together: {everything} bytes gzipped")
print(f"largest page: {worst} bytes gzipped (budget {budget})")
if worst > budget:
    sys.exit(f"FAIL: a page loads {worst} gzipped bytes of wasm, above its budget ({budget})")
print("OK: every page's wasm is within its budget")
PY
