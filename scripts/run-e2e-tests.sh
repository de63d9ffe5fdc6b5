#!/usr/bin/env bash
# The end-to-end suite in Chromium: once on SQLite (the embedded default), then once more on
# PostgreSQL (a fresh database per test server) when a server answers at the given URL;
# otherwise this says plainly that the PostgreSQL run is skipped.
set -euo pipefail
pg_url=$1
cd "$(dirname "$0")/../end2end"

echo "==> end-to-end suite on SQLite"
PAIRS_E2E_POSTGRES_URL= npm test

if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 \
  && psql "$pg_url/postgres" -tAc 'select 1' >/dev/null 2>&1; then
  echo "==> end-to-end suite on PostgreSQL at $pg_url"
  PAIRS_E2E_POSTGRES_URL=$pg_url npm test
else
  echo "==> SKIPPED: the end-to-end suite on PostgreSQL (no PostgreSQL answering at $pg_url)"
fi
