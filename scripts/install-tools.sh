#!/usr/bin/env bash
# Installs the build tools Pairs needs, skipping each one already present:
# the wasm target, cargo-leptos, wasm-bindgen-cli (same version as Cargo.lock), and the
# npm packages of end2end/ (which bring wasm-opt for release builds).
set -euo pipefail
cargo_leptos_version=$1
wasm_bindgen_version=$2
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos's own release profile asks for fat LTO and one codegen unit, which makes its
# install the longest step of a fresh machine (23 minutes measured); these tools run for
# seconds per build, so they are built with the ordinary release optimisations instead.
# (cargo-leptos has no optional dependencies to leave out: its two features are flags.)
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_DEBUG=false

if ! cargo leptos --version 2>/dev/null | grep -qx "cargo-leptos $cargo_leptos_version"; then
  echo "==> installing cargo-leptos $cargo_leptos_version (about 10 minutes, once)"
  cargo install cargo-leptos --version "$cargo_leptos_version" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  echo "==> installing wasm-bindgen-cli $wasm_bindgen_version (about 3 minutes, once)"
  # Not --locked: its lock names a webpki-roots release the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi

if ! command -v npm >/dev/null; then
  echo "==> installing Node.js and npm"
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
stamp=end2end/node_modules/.installed
if [ ! -f "$stamp" ] || [ end2end/package-lock.json -nt "$stamp" ]; then
  echo "==> installing npm packages (end2end/)"
  (cd end2end && npm ci --no-audit --no-fund)
  touch "$stamp"
fi
