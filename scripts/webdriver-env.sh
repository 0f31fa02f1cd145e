# Sourced by the WebDriver test scripts: a display of their own (Xvfb) and tauri-driver in front
# of WebKitWebDriver. Export what the app must see (data folder, XDG folders, …) before
# `webdriver_start`: tauri-driver starts the app with its own environment. `webdriver_stop` ends
# both; call it from the script's EXIT trap.

webdriver_pids=()

# $1: a folder for the logs (xvfb.log, driver.log).
webdriver_start() {
  local logs=$1
  local driver
  driver=$(command -v tauri-driver || true)
  [ -n "$driver" ] || driver="$HOME/.cargo/bin/tauri-driver"
  if [ ! -x "$driver" ]; then
    echo "webdriver: installing tauri-driver 2 (crates.io)"
    # The newest release is a 3.0 alpha; the app is Tauri 2.
    cargo install tauri-driver --version '^2' --locked --quiet
  fi

  # A free display number: the first without a lock file.
  local display=99
  while [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
  Xvfb ":$display" -screen 0 1024x1280x24 -nolisten tcp >"$logs/xvfb.log" 2>&1 &
  webdriver_pids+=($!)
  export DISPLAY=":$display"
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

  local port=4444
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  export TAURI_DRIVER_PORT=$port
  "$driver" --port "$port" --native-driver /usr/bin/WebKitWebDriver >"$logs/driver.log" 2>&1 &
  webdriver_pids+=($!)
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
}

webdriver_stop() {
  for p in "${webdriver_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
