#!/usr/bin/env bash
# WebDriver tests of the real app: Xvfb for a display, tauri-driver in front of WebKitWebDriver,
# a fresh encrypted data folder, and the `meldcode` CLI to read back what the app saved. Run it
# inside scripts/with-keyring.sh (the app and the CLI need the Secret Service).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

source "$root/scripts/webdriver-env.sh"

work=$(mktemp -d)
cleanup() {
  webdriver_stop
  rm -rf "$work"
}
trap cleanup EXIT

export MELDCODE_DATA_DIR="$work/data"
# The webview keeps its own files under the XDG folders: give it fresh ones, to check below.
export XDG_CACHE_HOME="$work/cache"
export XDG_DATA_HOME="${XDG_DATA_HOME:-$work/share}"
export MELDCODE_APP="$target/debug/meldcode-app"
export MELDCODE_CLI="$target/debug/meldcode"
export MELDCODE_SHOTS="$root/tests/results"
webdriver_start "$work"

cd "$root/tests"
if ! node --test --test-concurrency=1 e2e/; then
  echo "app-test: tauri-driver log:" >&2
  tail -n 40 "$work/driver.log" >&2
  exit 1
fi

# Nothing the app or its webview wrote may hold a pupil's name in plaintext: not the database
# (encrypted), not the vault, not WebKit's caches or storage.
leaks=$(grep -rlaE "Sanne Bakker|Daan Visser|Noor el Amrani|Milan de Jong|Emma de Wit|Lotte Smit|Bram Koster" \
  "$MELDCODE_DATA_DIR" "$XDG_CACHE_HOME" "$XDG_DATA_HOME" 2>/dev/null || true)
if [ -n "$leaks" ]; then
  echo "app-test: a pupil's name in plaintext in: $leaks" >&2
  exit 1
fi
echo "app-test: no pupil's name in plaintext in any file the app or its webview wrote"
