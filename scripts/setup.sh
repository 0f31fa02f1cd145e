#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian/Ubuntu machine, and only what is
# missing, so that a warm machine skips it in a second.
set -euo pipefail

# dbus + gnome-keyring: a real Secret Service for the store's tests; sqlite3: proves the database
# file is unreadable without the key. The webkit/gtk -dev packages build the Tauri shell;
# xvfb + xauth + webkit2gtk-driver run the real app under WebDriver; chromium runs the UI tests;
# nodejs + npm build the UI where the machine has no Node.js yet; desktop-file-utils checks the
# package's desktop entry; postgresql: the server's tests run a throwaway cluster of their own
# (initdb, pg_ctl and pg_dump from /usr/lib/postgresql/*/bin; as root, as its `postgres` user);
# poppler-utils: pdftotext and pdftoppm read the exported PDFs back in the tests.
APT_PACKAGES=(build-essential pkg-config dbus gnome-keyring sqlite3 curl file
  libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver chromium
  desktop-file-utils postgresql poppler-utils)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing. Install the Rust toolchain (rustup, stable >= 1.92) first." >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "setup: adding the $component component"
    rustup component add "$component"
  fi
done
