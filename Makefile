# Stillpoint: `make run` starts the app, `make test` runs every check. Both install what
# they need first (see scripts/setup.sh).

SHELL := /bin/bash
TOOLS_DIR ?= $(HOME)/.cache/stillpoint/tools
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SERVER := $(TARGET_DIR)/release/stillpoint
SITE := $(CURDIR)/target/site

# Flags for `make run`, e.g. make run ARGS="--addr 127.0.0.1:8080 --data-dir /srv/stillpoint"
ARGS ?=

.PHONY: run test setup setup-browser build fmt-check clippy rust-tests e2e clean

## run: install tools if missing, build in release, serve on 127.0.0.1:3000 (SQLite in ./data)
run: build
	LEPTOS_SITE_ROOT=$(SITE) $(SERVER) $(ARGS)

## test: format, clippy, Rust tests, release build, browser tests
test: setup-browser fmt-check clippy rust-tests build e2e
	@echo "All checks passed."

setup:
	@scripts/setup.sh

setup-browser:
	@scripts/setup.sh --browser

build: setup
	cargo leptos build --release

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy -p app -p server --all-targets --locked -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

# One test at a time: several servers in one test process (one per test) made a page's
# server-side render stall now and then (about 1 run in 4 with parallel tests, none in 24 runs
# serial); a server runs alone in its own process in real use.
rust-tests:
	cargo test -p app -p server --locked -- --test-threads=1

e2e:
	STILLPOINT_BIN=$(SERVER) STILLPOINT_SITE_ROOT=$(SITE) node --test --test-concurrency=1 tests/e2e/

clean:
	cargo clean
