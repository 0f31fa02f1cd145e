#!/usr/bin/env bash
# Idle CPU of the real app (release build), unenrolled against enrolled: what background sync
# costs a tablet that lies on the desk. Run it inside scripts/with-keyring.sh (the app, the CLI
# and the spool keep their device secret in the Secret Service); `make bench` does.
#
# Each case launches the app on a fresh Xvfb with a fresh data folder (MELDCODE_DATA_DIR) and
# fresh XDG folders, as scripts/bench-app.sh does, lets it settle for 10 s, then reads the CPU
# time (utime + stime, and cutime + cstime of children already reaped, from /proc/PID/stat; a
# process's stat counts all its threads) of the app and all its descendants (WebKit's web and
# network processes) at the start and the end of 60 idle seconds.
# - Unenrolled: an empty data folder, so the first-run screen.
# - Enrolled: a release `meldcode-server` on 127.0.0.1 (init, then serve), a data folder set up
#   and enrolled with the `meldcode` CLI (the real Argon2id parameters), then the app on it: the
#   lock screen, with background sync running (a push listener waiting on the server's stream).
#   The server's CPU over the same minute is printed too, and whether the app held its stream.
# Nothing but 127.0.0.1 is contacted. Everything started here is ended on exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
SETTLE=${BENCH_IDLE_SETTLE:-10}
IDLE=${BENCH_IDLE_SECONDS:-60}
PIN=482913
COORDINATOR="Anouk Jansen"

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "bench-idle: run it inside scripts/with-keyring.sh (the app needs the Secret Service)" >&2
  exit 1
fi
if [ ! -x /usr/bin/python3 ]; then
  echo "bench-idle: installing python3"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3
fi

cargo build --release --locked -p meldcode-app -p meldcode-cli -p meldcode-server --quiet
app="$target/release/meldcode-app"
cli="$target/release/meldcode"
server="$target/release/meldcode-server"

work=$(mktemp -d)
app_pid=
server_pid=
xvfb_pid=
stop_app() {
  if [ -n "$app_pid" ]; then
    # The app was started in a process group of its own (setsid): it and WebKit's processes.
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=
  fi
}
stop_display() {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
    xvfb_pid=
  fi
}
cleanup() {
  stop_app
  stop_display
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU seconds so far of the processes given and all their descendants, and how many processes
# that is; with --connections PORT, also how many TCP connections they hold established to PORT.
cpu() {
  /usr/bin/python3 - "$@" <<'PY'
import os, sys
args = sys.argv[1:]
port = None
if args[0] == "--connections":
    port, args = int(args[1]), args[2:]
children = {}
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, IndexError, ValueError):
            pass
procs, todo = [], [int(p) for p in args]
while todo:
    p = todo.pop()
    procs.append(p)
    todo.extend(children.get(p, []))
ticks = 0
for p in procs:
    try:
        with open(f"/proc/{p}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # utime, stime, cutime, cstime: fields 14-17 of stat(5), 12-15 after the name.
        ticks += sum(int(v) for v in fields[11:15])
    except (OSError, IndexError, ValueError):
        pass
out = f"{ticks / os.sysconf('SC_CLK_TCK'):.2f} {len(procs)}"
if port is not None:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "01" and int(cols[2].rsplit(":", 1)[1], 16) == port:
                        inodes.add(cols[9])
        except OSError:
            pass
    held = 0
    for p in procs:
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                link = os.readlink(f"/proc/{p}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    held += 1
        except OSError:
            pass
    out += f" {held}"
print(out)
PY
}

# Fresh XDG folders and a display of its own for one launch; exports what the app must see.
fresh_session() {
  local case_dir=$1
  for var in XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME XDG_RUNTIME_DIR; do
    mkdir -p -m 700 "$case_dir/$var"
    export "$var=$case_dir/$var"
  done
  export MELDCODE_DATA_DIR="$case_dir/data"
  Xvfb -displayfd 3 -screen 0 1024x1280x24 -nolisten tcp -br 3>"$case_dir/display" \
    >"$case_dir/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 100); do [ -s "$case_dir/display" ] && break; sleep 0.1; done
  [ -s "$case_dir/display" ] || { echo "bench-idle: Xvfb did not start" >&2; exit 1; }
  DISPLAY=":$(head -n 1 "$case_dir/display")"
  export DISPLAY
}

# Launches the app, lets it settle, measures $IDLE seconds. Sets m_before and m_after (the app's
# CPU seconds) and m_procs (how many processes at the end), and with a port also m_server_before,
# m_server_after and m_held (connections).
# In this shell, not a subshell: the EXIT trap must know what to end.
measure_app() {
  local case_dir=$1 port=${2:-}
  setsid "$app" </dev/null >"$case_dir/app.log" 2>&1 &
  app_pid=$!
  sleep "$SETTLE"
  kill -0 "$app_pid" 2>/dev/null || {
    echo "bench-idle: the app exited during the settle; its log:" >&2
    tail -n 40 "$case_dir/app.log" >&2
    exit 1
  }
  read -r m_before _ < <(cpu "$app_pid")
  [ -z "$port" ] || read -r m_server_before _ < <(cpu "$server_pid")
  sleep "$IDLE"
  if [ -n "$port" ]; then
    read -r m_after m_procs m_held < <(cpu --connections "$port" "$app_pid")
    read -r m_server_after _ < <(cpu "$server_pid")
  else
    read -r m_after m_procs < <(cpu "$app_pid")
  fi
  kill -0 "$app_pid" 2>/dev/null || {
    echo "bench-idle: the app exited during the measurement; its log:" >&2
    tail -n 40 "$case_dir/app.log" >&2
    exit 1
  }
  stop_app
  stop_display
}

percent() { /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]) * 100:.2f}')" "$1" "$IDLE"; }
diff_s() { /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# Unenrolled: the first-run screen.
fresh_session "$work/unenrolled"
measure_app "$work/unenrolled"
unenrolled=$(diff_s "$m_before" "$m_after")
unenrolled_procs=$m_procs

# Enrolled: the school's server, a coordinator's data folder enrolled with it, the lock screen.
mkdir -p "$work/server"
NO_COLOR=1 "$server" --data "$work/server/data" init --name 127.0.0.1 >"$work/server/init.txt"
first_code=$(grep -v '^[[:space:]]*$' "$work/server/init.txt" | tail -n 1 | tr -d '[:space:]')
NO_COLOR=1 "$server" --data "$work/server/data" serve --listen 127.0.0.1:0 \
  >"$work/server/stdout" 2>"$work/server/log" &
server_pid=$!
address=
for _ in $(seq 100); do
  address=$(sed -n 's/^listening on //p' "$work/server/stdout" | head -n 1)
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { echo "bench-idle: the server did not listen; its log:" >&2; tail -n 20 "$work/server/log" >&2; exit 1; }
port=${address##*:}

fresh_session "$work/enrolled"
MELDCODE_PIN=$PIN "$cli" init --name "$COORDINATOR" >/dev/null ||
  { echo "bench-idle: meldcode init failed" >&2; exit 1; }
MELDCODE_USER=$COORDINATOR MELDCODE_PIN=$PIN MELDCODE_ENROLL_CODE=$first_code \
  "$cli" enroll --server "https://$address" >/dev/null ||
  { echo "bench-idle: meldcode enroll failed; the server's log:" >&2; tail -n 20 "$work/server/log" >&2; exit 1; }
measure_app "$work/enrolled" "$port"
enrolled=$(diff_s "$m_before" "$m_after")
server_cpu=$(diff_s "$m_server_before" "$m_server_after")
held=$m_held
enrolled_procs=$m_procs

echo "Idle CPU of the app (release build; app and WebKit's processes over ${IDLE} s, after ${SETTLE} s settling; fresh display and data folder):"
echo "  unenrolled (first-run screen): ${unenrolled} CPU s = $(percent "$unenrolled")% of one core (${unenrolled_procs} processes)"
echo "  enrolled (lock screen, background sync on): ${enrolled} CPU s = $(percent "$enrolled")% of one core (${enrolled_procs} processes; connections to the server at the end: ${held})"
echo "  enrolled - unenrolled: $(diff_s "$unenrolled" "$enrolled") CPU s per ${IDLE} s"
echo "  the server over the same ${IDLE} s: ${server_cpu} CPU s = $(percent "$server_cpu")% of one core"
if [ "$held" = 0 ]; then
  echo "  WARNING: the enrolled app held no connection to the server: its background sync was not waiting on the stream" >&2
fi
