#!/usr/bin/env bash
# Runs a command against a real Secret Service: a private D-Bus session with gnome-keyring,
# unlocked with a throwaway password (an empty one creates no login collection). Tests of the
# store use the OS keyring exactly as the app does; nothing falls back to plaintext.
set -euo pipefail
if [ "${MELDCODE_IN_KEYRING_SESSION:-}" = 1 ]; then
  exec "$@"
fi
export MELDCODE_IN_KEYRING_SESSION=1
exec dbus-run-session -- bash -c '
  set -euo pipefail
  # A keyring of its own, so tests never touch (or depend on) the login keyring of the machine.
  # MELDCODE_KEYRING_HOME: a folder the caller chose (to look into afterwards), else a new one.
  XDG_DATA_HOME=${MELDCODE_KEYRING_HOME:-$(mktemp -d)}
  mkdir -p "$XDG_DATA_HOME"
  export XDG_DATA_HOME
  # Unlock before anything asks: a locked keyring opens an invisible prompt and hangs the caller.
  eval "$(printf "meldcode-test" | timeout 20 gnome-keyring-daemon --daemonize --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  exec "$@"
' bash "$@"
