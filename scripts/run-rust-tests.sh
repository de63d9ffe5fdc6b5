#!/usr/bin/env bash
# Unit and integration tests of every crate but the wasm entry point. The PostgreSQL suites
# run when a server answers at the given URL; otherwise this says plainly they are skipped.
set -euo pipefail
pg_url=$1

if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 \
  && psql "$pg_url/postgres" -tAc 'select 1' >/dev/null 2>&1; then
  export PAIRS_TEST_POSTGRES_URL=$pg_url
  echo "==> PostgreSQL at $pg_url: the PostgreSQL suites run"
else
  unset PAIRS_TEST_POSTGRES_URL
  echo "==> SKIPPED: the PostgreSQL suites (no PostgreSQL answering at $pg_url)"
fi

if [ -n "${MEILI_URL:-}" ]; then
  echo "==> Meilisearch at $MEILI_URL: the search conformance suite also runs on it"
else
  echo "==> SKIPPED: the Meilisearch run of the search conformance suite (MEILI_URL is not set; the embedded engine's run happens)"
fi

# The test command installs nginx (scripts/install-test-tools.sh): the topology test must
# run, and fails rather than skips when nginx is missing.
export PAIRS_REQUIRE_NGINX=1

cargo test --workspace --exclude frontend
