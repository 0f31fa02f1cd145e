#!/usr/bin/env bash
# The UI's JavaScript as shipped (gzipped, without the test-only mock chunk), and the app's
# resident memory after start: the release binary on a fresh data folder under Xvfb, sampled
# when the first screen has had time to render. WebKit renders in child processes, so their
# memory is given too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

(cd "$root/ui" && node -e '
  const fs = require("fs"), zlib = require("zlib"), path = require("path");
  const dir = "dist/assets";
  let app = 0, mock = 0, css = 0;
  for (const f of fs.readdirSync(dir)) {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length;
    if (f.endsWith(".css")) css += gz;
    else if (f.startsWith("mock-")) mock += gz;
    else if (f.endsWith(".js")) app += gz;
  }
  const kb = (n) => (n / 1024).toFixed(1) + " KiB";
  console.log(`UI JavaScript, gzipped: ${kb(app)} (CSS ${kb(css)}; the test-only mock chunk, never loaded in the app: ${kb(mock)})`);
')

cargo build --release --locked -p meldcode-app --quiet
app="$target/release/meldcode-app"

bash "$root/scripts/with-keyring.sh" bash -c '
  set -euo pipefail
  app=$1
  work=$(mktemp -d)
  display=99
  while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1024x1280x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
  DISPLAY=":$display" MELDCODE_DATA_DIR="$work/data" "$app" >/dev/null 2>&1 &
  pid=$!
  sleep 10
  # RSS counts shared libraries once per process; PSS shares them out, so PSS sums honestly.
  kib() { awk -v k="$2:" "\$1 == k { print \$2 }" "$1" 2>/dev/null || echo 0; }
  descendants() { for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
  own_rss=$(kib "/proc/$pid/status" VmRSS)
  total_rss=$own_rss
  total_pss=$(kib "/proc/$pid/smaps_rollup" Pss)
  for c in $(descendants "$pid"); do
    total_rss=$((total_rss + $(kib "/proc/$c/status" VmRSS)))
    total_pss=$((total_pss + $(kib "/proc/$c/smaps_rollup" Pss)))
  done
  echo "App memory 10 s after start (release build, first-run screen of a fresh device):"
  echo "  resident (RSS) of the app process: $((own_rss / 1024)) MiB"
  echo "  with its WebKit processes: RSS $((total_rss / 1024)) MiB, proportional (PSS) $((total_pss / 1024)) MiB"
  kill "$pid" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
' bash "$app"
