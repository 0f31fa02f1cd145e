#!/usr/bin/env bash
# The app on a freshly imaged tablet: a provisioning file (MELDCODE_PROVISIONING, here in a
# folder of the test's own) instead of typing the school's social map. First a malformed file,
# whose problems the first-run screen must list without letting set-up go on; then a good one,
# whose school and social map the app must show. Run inside scripts/with-keyring.sh.
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
export XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/share"
export MELDCODE_PROVISIONING="$work/etc/provisioning.json"
export MELDCODE_PROFILE_TEMPLATE="$root/crates/engine/data/profiles/cbs-het-mozaiek.json"
export MELDCODE_APP="$target/debug/meldcode-app"
export MELDCODE_SHOTS="$root/tests/results"
mkdir -p "$work/etc"
webdriver_start "$work"

cd "$root/tests"
if ! node --test --test-concurrency=1 provisioning/; then
  echo "provisioning-test: tauri-driver log:" >&2
  tail -n 40 "$work/driver.log" >&2
  exit 1
fi
