#!/usr/bin/env bash
# What the test suites need beyond the build tools, from Debian's packages: Chromium for the
# browser tests, aiosmtpd (a real SMTP server) for the mail tests and nginx for the test of
# two processes behind a proxy (only its binary is used; the packaged service is not started),
# feedparser for the Atom feeds.
# Also starts the local PostgreSQL if it is installed but stopped.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Debian's python3, not the one first on PATH.
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# feedparser validates the Atom feeds of the follow suite.
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || missing+=(python3-feedparser)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing Debian's ${missing[*]}"
  # policy-rc.d keeps the packaged nginx service from starting (the tests run their own).
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
    echo "==> starting the local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi
