# The two commands that matter (see README): `make run` and `make test`.
# Both install what is missing on a fresh Debian/Ubuntu machine first.

# Builds go to a target dir outside the clone, so a fresh clone on the same machine (CI)
# reuses what was already compiled.
CARGO_TARGET_DIR ?= $(HOME)/.cache/meldcode/target
export CARGO_TARGET_DIR

UI_STAMP := ui/node_modules/.meldcode-installed
E2E_STAMP := tests/node_modules/.meldcode-installed

.PHONY: setup run test lint unit purity ui-deps ui-build ui-test app-build app-test bundle install-test bench demo fuzz

setup:
	@bash scripts/setup.sh

# The app (debug build: it serves the built UI itself). Needs a display and the desktop's
# keyring (Secret Service), as on any Debian/Ubuntu desktop.
run: setup ui-build
	cargo run -p meldcode-app

# The engine's demo of a whole case, in the terminal.
demo:
	cargo run --quiet -p meldcode-engine --example demo

# The UI is built first: the Tauri shell embeds ui/dist at compile time (also for clippy).
test: setup ui-build lint purity unit ui-test app-test
	$(MAKE) install-test BUNDLE_PROFILE=debug

# --ignore-scripts: nothing here needs an install script, and some (webdriverio's driver
# downloaders) would try to fetch binaries, which these machines cannot.
$(UI_STAMP): ui/package.json ui/package-lock.json
	cd ui && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

ui-deps: $(UI_STAMP)

$(E2E_STAMP): tests/package.json tests/package-lock.json
	cd tests && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

ui-build: ui-deps
	cd ui && npm run --silent build -- --logLevel warn

lint: ui-deps $(E2E_STAMP)
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cd ui && npm run --silent check
	cd tests && ../ui/node_modules/.bin/tsc -p .

unit:
	bash scripts/with-keyring.sh cargo test --workspace --locked

purity:
	@bash scripts/check-engine-purity.sh

# Vitest (screens' logic and components), then every screen in headless Chromium at phone and
# tablet size with axe-core; screenshots land in ui/test-results/screenshots.
ui-test: ui-build
	cd ui && npx vitest run
	cd ui && node --test --test-concurrency=1 tests/browser/

app-build: ui-build
	cargo build --locked -p meldcode-app -p meldcode-cli -p meldcode-server

# The real app under WebDriver (tauri-driver + WebKitWebDriver, Xvfb), read back by the CLI;
# then a fresh first run from a provisioning file, malformed and good.
app-test: app-build $(E2E_STAMP)
	bash scripts/with-keyring.sh bash scripts/app-test.sh
	bash scripts/sync-app-test.sh
	bash scripts/with-keyring.sh bash scripts/provisioning-test.sh

# The .deb for a school's IT person, with the Tauri bundler: `sudo apt install ./meldcode_*.deb`
# pulls in what it needs. A release build unless BUNDLE_PROFILE=debug.
BUNDLE_PROFILE ?= release
BUNDLE_DIR = $(CARGO_TARGET_DIR)/$(BUNDLE_PROFILE)/bundle/deb
bundle: setup ui-build
	ui/node_modules/.bin/tauri build --bundles deb --ci $(if $(filter debug,$(BUNDLE_PROFILE)),--debug)
	cd $(BUNDLE_DIR) && for f in Meldcode_*_amd64.deb; do cp -f "$$f" "meldcode_$${f#Meldcode_}"; done
	@ls $(BUNDLE_DIR)/meldcode_*_amd64.deb

# Installs that package on this machine, starts the installed app under Xvfb up to its first
# coordinator, and removes it again; the data folder must survive. `make test` runs it on the
# debug build the other tests use, so that CI compiles one profile only.
install-test: $(E2E_STAMP)
	$(MAKE) bundle BUNDLE_PROFILE=$(BUNDLE_PROFILE)
	bash scripts/with-keyring.sh bash scripts/install-test.sh $(BUNDLE_PROFILE)

# The store's figures and a 100-record dossier as PDF (crates/store/benches), the server's, sync as the app's devices run it
# (capture time enrolled against unenrolled, a capture on A to B's dossier), then the UI's
# JavaScript size, the app's memory and start-up against an empty Tauri app (bench/empty-app),
# both release builds, and the app's idle CPU unenrolled against enrolled.
bench: setup ui-build
	bash scripts/with-keyring.sh cargo bench -p meldcode-store --bench store
	bash scripts/with-keyring.sh cargo bench -p meldcode-store --bench export
	cargo bench -p meldcode-server --bench server
	bash scripts/with-keyring.sh cargo bench -p meldcode-server --bench devices
	bash scripts/bench-app.sh
	bash scripts/with-keyring.sh bash scripts/bench-idle.sh

# A million generated and mutated requests against the server's decoders and handlers, in
# process (crates/server/tests/fuzz.rs): no panic, every refusal `{code, message}`, nothing
# stored changed by a refused request. The debug profile the other tests use; `cargo test`
# runs the same tests with 2000 cases.
FUZZ_CASES ?= 1000000
fuzz:
	MELDCODE_FUZZ_CASES=$(FUZZ_CASES) cargo test --locked -p meldcode-server --test fuzz -- --nocapture
