#!/usr/bin/env bash
# Installs what building Stillpoint needs, skipping whatever is already present:
# the wasm target, cargo-leptos 0.3.10, wasm-bindgen-cli matching Cargo.lock, and wasm-opt
# (binaryen from npm). With --browser it also installs Debian's chromium and the
# browser-test packages. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS_DIR="${STILLPOINT_TOOLS_DIR:-$HOME/.cache/stillpoint/tools}"
say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "installing cargo-leptos 0.3.10 (about 10 minutes, once)"
  cargo install cargo-leptos --version =0.3.10 --locked
fi

wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wasm_bindgen_version}\$"; then
  say "installing wasm-bindgen-cli ${wasm_bindgen_version} (matches Cargo.lock)"
  # Without --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "=${wasm_bindgen_version}"
fi

if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (binaryen 132 from npm) into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --silent binaryen@132)
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    say "installing Debian's chromium for the browser tests"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ]; then
    say "installing playwright-core for the browser tests"
    (cd tests/e2e && npm ci --no-audit --no-fund --silent)
  fi
fi
