# Pairs — the two commands: `make run` (serve with embedded defaults) and `make test`.
# Both install what is missing and skip what is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)
# Leptos reads this at compile time; cargo-leptos sets the same value.
export LEPTOS_OUTPUT_NAME := pairs

TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
# cargo-leptos writes the site (CSS, wasm, JS, public/) here whatever the target dir.
SITE_ROOT := $(CURDIR)/target/site
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := $(shell grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -n1)
PG_URL ?= postgres://postgres@127.0.0.1:5432

.PHONY: help
help:
	@echo "make run    build, migrate, import the referential if needed, serve on http://127.0.0.1:3000"
	@echo "make test   every suite: unit, integration (SQLite, PostgreSQL), wasm dependency guard, end-to-end"
	@echo "make dev    debug build with demo data, rebuilt and reloaded on every change"
	@echo "make check  formatting, clippy (warnings are errors) and unit tests: the loop before each commit"
	@echo "make tools  install the build tools only"

# --- tools -------------------------------------------------------------------------------

.PHONY: tools
tools:
	@scripts/install-tools.sh "$(CARGO_LEPTOS_VERSION)" "$(WASM_BINDGEN_VERSION)"

.PHONY: test-tools
test-tools: tools
	@scripts/install-test-tools.sh

# --- run ---------------------------------------------------------------------------------

# The release build with embedded defaults: SQLite, data under ./data.
.PHONY: run
run: tools
	cargo leptos build --release --precompress --split
	$(TARGET_DIR)/release/pairs migrate
	$(TARGET_DIR)/release/pairs import-referential --if-empty
	$(TARGET_DIR)/release/pairs seed-catalogue
	$(TARGET_DIR)/release/pairs seed-demo --if-empty
	LEPTOS_SITE_ROOT=$(SITE_ROOT) LEPTOS_ENV=PROD $(TARGET_DIR)/release/pairs serve

# --- test --------------------------------------------------------------------------------

# --- dev: rebuild and reload on every change ------------------------------------------------

# Debug build, embedded defaults, demo data; cargo-leptos rebuilds and reloads the browser.
.PHONY: dev
dev: tools
	cargo leptos build --split
	$(TARGET_DIR)/debug/pairs migrate
	$(TARGET_DIR)/debug/pairs import-referential --if-empty
	$(TARGET_DIR)/debug/pairs seed-catalogue
	$(TARGET_DIR)/debug/pairs seed-demo --if-empty
	cargo leptos watch --split

# --- check: the fast loop before each commit ---------------------------------------------

.PHONY: check
check:
	cargo fmt --all -- --check
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo test --workspace --exclude frontend --lib --bins

# Every suite, each step timed (the table is printed at the end): see scripts/test.sh.
.PHONY: test
test:
	@scripts/test.sh "$(PG_URL)" "$(CARGO_LEPTOS_VERSION)" "$(WASM_BINDGEN_VERSION)"

# --- bench -------------------------------------------------------------------------------

.PHONY: bench
bench:
	scripts/bench.sh
