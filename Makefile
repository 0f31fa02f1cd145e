# The two commands that matter (see README): `make run` and `make test`.
# Both install what is missing on a fresh Debian/Ubuntu machine first.

# Builds go to a target dir outside the clone, so a fresh clone on the same machine (CI)
# reuses what was already compiled.
CARGO_TARGET_DIR ?= $(HOME)/.cache/meldcode/target
export CARGO_TARGET_DIR

.PHONY: setup run test lint unit purity bench

setup:
	@bash scripts/setup.sh

# For now the product is the case engine: run its demo of a whole case.
run: setup
	cargo run --quiet -p meldcode-engine --example demo

test: setup lint purity unit

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

unit:
	bash scripts/with-keyring.sh cargo test --workspace --locked

purity:
	@bash scripts/check-engine-purity.sh

# The store's figures: one signal recorded vs a bare SQLCipher insert, 10,000 cases / 200,000
# events opened and listed, unlock with the real Argon2id parameters (crates/store/benches).
bench: setup
	bash scripts/with-keyring.sh cargo bench -p meldcode-store --bench store
