#!/usr/bin/env bash
# WebDriver tests of the real app: Xvfb for a display, tauri-driver in front of WebKitWebDriver,
# a fresh encrypted data folder, and the `meldcode` CLI to read back what the app saved. Run it
# inside scripts/with-keyring.sh (the app and the CLI need the Secret Service).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

driver=$(command -v tauri-driver || true)
[ -n "$driver" ] || driver="$HOME/.cargo/bin/tauri-driver"
if [ ! -x "$driver" ]; then
  echo "app-test: installing tauri-driver 2 (crates.io)"
  # The newest release is a 3.0 alpha; the app is Tauri 2.
  cargo install tauri-driver --version '^2' --locked --quiet
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free display number: the first without a lock file.
display=99
while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1024x1280x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$display"
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

export MELDCODE_DATA_DIR="$work/data"
# The webview keeps its own files under the XDG folders: give it fresh ones, to check below.
export XDG_CACHE_HOME="$work/cache"
export XDG_DATA_HOME="${XDG_DATA_HOME:-$work/share}"
export MELDCODE_APP="$target/debug/meldcode-app"
export MELDCODE_CLI="$target/debug/meldcode"
export MELDCODE_SHOTS="$root/tests/results"
port=4444
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
export TAURI_DRIVER_PORT=$port
"$driver" --port "$port" --native-driver /usr/bin/WebKitWebDriver >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

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
