# Sourced by the WebDriver test scripts: a display of their own (Xvfb) and tauri-driver in front
# of WebKitWebDriver. Export what the app must see (data folder, XDG folders, …) before
# `webdriver_start`: tauri-driver starts the app with its own environment. `webdriver_stop` ends
# both; call it from the script's EXIT trap.

webdriver_pids=()

# tauri-driver's path, installed from crates.io when missing.
tauri_driver_path() {
  local driver
  driver=$(command -v tauri-driver || true)
  [ -n "$driver" ] || driver="$HOME/.cargo/bin/tauri-driver"
  if [ ! -x "$driver" ]; then
    echo "webdriver: installing tauri-driver 2 (crates.io)" >&2
    # The newest release is a 3.0 alpha; the app is Tauri 2.
    cargo install tauri-driver --version '^2' --locked --quiet
  fi
  echo "$driver"
}

# The first free TCP port on 127.0.0.1 from $1 on.
free_port() {
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Waits until something listens on 127.0.0.1:$1 (10 s at most).
wait_for_port() {
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# Xvfb on a free display; exports DISPLAY. $1: a folder for xvfb.log.
display_start() {
  local logs=$1
  # A free display number: the first without a lock file.
  local display=99
  while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1024x1280x24 -nolisten tcp >"$logs/xvfb.log" 2>&1 &
  webdriver_pids+=($!)
  export DISPLAY=":$display"
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
}

# $1: a folder for the logs (xvfb.log, driver.log).
webdriver_start() {
  local logs=$1
  local driver
  driver=$(tauri_driver_path)
  display_start "$logs"
  local port
  port=$(free_port 4444)
  export TAURI_DRIVER_PORT=$port
  "$driver" --port "$port" --native-driver /usr/bin/WebKitWebDriver >"$logs/driver.log" 2>&1 &
  webdriver_pids+=($!)
  wait_for_port "$port" || true
}

webdriver_stop() {
  for p in "${webdriver_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
