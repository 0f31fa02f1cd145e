#!/usr/bin/env bash
# Installs the .deb that `make bundle` built, as `apt install ./meldcode_*.deb` would on a
# school's machine, checks what it put where, starts the installed binary under Xvfb through
# tauri-driver and WebDriver up to the first coordinator, then removes the package and checks
# that the data folder (the dossiers) is still there. Run inside scripts/with-keyring.sh; needs
# root or sudo for apt. `$1` is the bundle's profile folder: release (default) or debug.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
profile=${1:-release}
deb=$(ls "$target/$profile/bundle/deb/"meldcode_*_amd64.deb | head -n 1)
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

source "$root/scripts/webdriver-env.sh"
work=$(mktemp -d)
cleanup() {
  webdriver_stop
  # Never leave the package behind on the machine the tests ran on.
  if dpkg -s meldcode >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get remove -y -qq meldcode >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "install-test: $*" >&2; exit 1; }

if dpkg -s meldcode >/dev/null 2>&1; then
  fail "meldcode is already installed here; remove it first (apt remove meldcode)"
fi
echo "install-test: installing $(basename "$deb")"
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$deb" >/dev/null

version=$(dpkg-query -W -f '${Version}' meldcode)
cargo_version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
[ "$version" = "$cargo_version" ] || fail "package version $version, Cargo says $cargo_version"
[ -x /usr/bin/meldcode-app ] || fail "no /usr/bin/meldcode-app"
desktop=/usr/share/applications/Meldcode.desktop
[ -f "$desktop" ] || fail "no desktop entry"
desktop-file-validate "$desktop" || fail "the desktop entry does not validate"
grep -qx 'Exec=meldcode-app' "$desktop" || fail "the desktop entry does not start meldcode-app"
for size in 32x32 128x128 512x512; do
  [ -f "/usr/share/icons/hicolor/$size/apps/meldcode-app.png" ] || fail "no $size icon"
done
depends=$(dpkg-query -W -f '${Depends}' meldcode)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libsoup-3.0-0 gnome-keyring; do
  case "$depends" in *"$dep"*) ;; *) fail "Depends lacks $dep: $depends" ;; esac
done
echo "install-test: meldcode $version installed: binary, desktop entry, icons, dependencies"

# The app's own data folder, as on a school's machine (no MELDCODE_DATA_DIR), in a home of its
# own so that this machine's is never touched.
export XDG_DATA_HOME="$work/share" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
unset MELDCODE_DATA_DIR
data="$XDG_DATA_HOME/nl.meldcode.app"
export MELDCODE_APP=/usr/bin/meldcode-app
webdriver_start "$work"

cd "$root/tests"
if ! node --test --test-concurrency=1 install/; then
  tail -n 40 "$work/driver.log" >&2
  fail "the installed app did not reach its first coordinator"
fi
[ -f "$data/meldcode.db" ] || fail "no data folder at $data after set-up"

DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get remove -y -qq meldcode >/dev/null
[ ! -e /usr/bin/meldcode-app ] || fail "the binary is still there after removal"
[ -f "$data/meldcode.db" ] && [ -f "$data/vault.json" ] || fail "the data folder did not survive the removal"
echo "install-test: removed again; the data folder $data (database and vault) is still there"
