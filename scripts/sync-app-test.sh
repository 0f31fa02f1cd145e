#!/usr/bin/env bash
# WebDriver test of sync between two real app instances through a real `meldcode-server`
# (embedded SQLite) on 127.0.0.1: device A (a teacher's tablet) and device B (the coordinator's),
# each with its own data folder, XDG folders, Secret Service session and tauri-driver, on one
# Xvfb display. The test itself (tests/e2e-sync/) drives both sessions, puts a proxy it can cut
# between A and the server (A offline while B stays online), and uses the `meldcode` CLI as a
# third device (a second coordinator) in a keyring session of its own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

source "$root/scripts/webdriver-env.sh"

work=$(mktemp -d)
server_pid=
device_groups=()
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  # Each device runs in a process group of its own: its D-Bus session, keyring, driver, app.
  for g in "${device_groups[@]}"; do kill -- "-$g" 2>/dev/null || true; done
  webdriver_stop
  # The keyring daemons of the device sessions end with their D-Bus sessions.
  if [ -n "${MELDCODE_KEEP_WORK:-}" ]; then echo "sync-app-test: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

export MELDCODE_APP="$target/debug/meldcode-app"
export MELDCODE_CLI="$target/debug/meldcode"
export MELDCODE_SERVER="$target/debug/meldcode-server"
export MELDCODE_SHOTS="$root/tests/results"
export MELDCODE_WORK="$work"

# The server: a certificate for 127.0.0.1, its SQLite database, the first code (last line).
"$MELDCODE_SERVER" --data "$work/server" init --name 127.0.0.1 >"$work/server-init.txt"
MELDCODE_FIRST_CODE=$(tail -n 1 "$work/server-init.txt")
export MELDCODE_FIRST_CODE
port=$(free_port 18443)
"$MELDCODE_SERVER" --data "$work/server" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_port "$port" || { echo "sync-app-test: the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
export MELDCODE_SERVER_URL="https://127.0.0.1:$port"

display_start "$work"
driver=$(tauri_driver_path)

# One device: its folders, then tauri-driver inside a keyring session of its own. The app that
# tauri-driver starts inherits all of it.
device_start() {
  local name=$1 port native
  port=$(free_port "$2")
  native=$(free_port $((port + 1)))
  mkdir -p "$work/$name"
  setsid env -u MELDCODE_IN_KEYRING_SESSION -u DBUS_SESSION_BUS_ADDRESS \
    MELDCODE_DATA_DIR="$work/$name/data" \
    XDG_CACHE_HOME="$work/$name/cache" \
    XDG_CONFIG_HOME="$work/$name/config" \
    MELDCODE_KEYRING_HOME="$work/$name/share" \
    bash "$root/scripts/with-keyring.sh" \
    "$driver" --port "$port" --native-port "$native" --native-driver /usr/bin/WebKitWebDriver \
    >"$work/$name/driver.log" 2>&1 &
  device_groups+=($!)
  wait_for_port "$port" || { echo "sync-app-test: tauri-driver for $name did not start" >&2; exit 1; }
  export "MELDCODE_DRIVER_$name=$port"
}
device_start A 4460
device_start B 4470

cd "$root/tests"
if ! env -u MELDCODE_IN_KEYRING_SESSION -u DBUS_SESSION_BUS_ADDRESS \
  MELDCODE_KEYRING_HOME="$work/C/share" \
  bash "$root/scripts/with-keyring.sh" node --test --test-concurrency=1 e2e-sync/; then
  for name in A B; do
    echo "sync-app-test: tauri-driver log of $name:" >&2
    tail -n 30 "$work/$name/driver.log" >&2
  done
  echo "sync-app-test: server log:" >&2
  tail -n 30 "$work/server.log" >&2
  exit 1
fi
