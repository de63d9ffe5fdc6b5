#!/usr/bin/env bash
# What the test suites need beyond the build tools: Debian's Chromium, and the local
# PostgreSQL started if it is installed but stopped.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Debian's Chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    echo "==> starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

# A real SMTP server for the mail tests (Debian's python3, not the one first on PATH).
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  echo "==> installing Debian's python3-aiosmtpd"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd
fi
