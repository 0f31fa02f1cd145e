#!/usr/bin/env bash
# The engine is pure: no I/O, no SQL, no Tauri, no async runtime, no keyring in its tree.
set -euo pipefail
tree=$(cargo tree -p meldcode-engine -e normal,build --prefix none --locked)
bad=$(grep -E '^(tauri|rusqlite|libsqlite3-sys|tokio|keyring|async-std|reqwest)[ -]' <<<"$tree" || true)
if [ -n "$bad" ]; then
  echo "meldcode-engine must stay pure, but depends on:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "engine purity: ok ($(sort -u <<<"$tree" | wc -l) crates, none of tauri/rusqlite/tokio/keyring)"
