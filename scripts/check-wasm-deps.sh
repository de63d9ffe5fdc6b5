#!/usr/bin/env bash
# Proves the hydrate (wasm) build holds no server-only crate. Also checks that the same
# test does flag them in the server's tree, so the guard itself cannot silently pass.
set -euo pipefail
cd "$(dirname "$0")/.."

forbidden='^(sea-orm|sea-orm-migration|sqlx|sqlx-core|argon2|lettre|meilisearch-sdk|tantivy|tokio-postgres|utoipa|domain|migration) '

deps() {
  cargo tree --quiet --package "$1" --target wasm32-unknown-unknown --edges normal,build \
    --prefix none --no-dedupe "${@:2}" | sort -u
}

found=$(deps frontend | grep -E "$forbidden" || true)
if [ -n "$found" ]; then
  echo "FAIL: the hydrate build depends on server-only crates:" >&2
  echo "$found" >&2
  exit 1
fi

# Self-check: the server-side tree must be flagged by the same pattern.
server_side=$(deps app --features ssr)
if ! grep -qE "$forbidden" <<<"$server_side"; then
  echo "FAIL: the wasm dependency guard no longer recognises server-only crates" >&2
  exit 1
fi
echo "OK: the hydrate dependency tree holds none of sea-orm, sqlx, argon2, lettre, meilisearch-sdk, tantivy, utoipa"
