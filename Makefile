# poolconsole: `make run` starts the dashboard offline, `make test` runs every test.

# The interpreter .venv is made from: Debian's python3.11 where it is
# installed with its venv module (package python3.11-venv), else python3 from
# the PATH. Debian builds its interpreter statically linked, with profile-guided
# and link-time optimization; a CPython built from source with the defaults
# (pyenv's: a shared libpython, neither) spent 10 to 25 % more time in
# poolconsole's requests (bench/README.md, "Which Python"). PYTHON=...
# overrides it; `make clean` first, to remake an existing .venv.
DEBIAN_PYTHON := /usr/bin/python3.11
PYTHON ?= $(if $(shell $(DEBIAN_PYTHON) -c 'import ensurepip' 2>/dev/null && echo y),$(DEBIAN_PYTHON),python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SANDBOX_PORT ?= 5055
PYTEST_ARGS ?=

.PHONY: install run test screenshots lint format bench bench-smoke bench-flow browser constraints clean

# constraints.txt pins every package to the versions the suite last passed
# with, so a new release upstream (a linter's new rules, say) cannot break a
# fresh clone; pyproject.toml keeps the ranges the code supports.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# A development encryption key for stored AWS secrets, made once, never committed.
.local/encryption-keys: | $(VENV)/.installed
	@mkdir -p .local
	@umask 077 && $(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > $@
	@echo "Generated a development encryption key in $@"

run: install .local/encryption-keys
	$(PY) manage.py migrate --noinput
	SANDBOX_ENDPOINT_URL=http://127.0.0.1:$(SANDBOX_PORT) $(PY) manage.py seed_demo
	@PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) bash scripts/run-dev.sh

# Debian's Chromium drives the browser tests; install it where we can.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is not installed and apt-get is not usable: browser tests will be skipped."; fi

test: install browser
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The README's screenshots, taken by the browser tests into docs/screenshots.
screenshots: install browser
	POOLCONSOLE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -n 2 tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	@command -v wrk >/dev/null 2>&1 || { \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; fi; }
	$(PY) bench/run.py $(BENCH_ARGS)

# make bench at a tiny scale, about a minute: it checks that the benchmark
# runs end to end and measures every target (CI runs it on both databases).
# Its figures mean nothing at this scale; its results go beside results.json.
bench-smoke:
	$(MAKE) bench BENCH_ARGS="--pools 20 --events 200 --series 10:100 --runs 1 \
		--duration 1 --series-duration 1 --flows 3 --check \
		--output bench/results-smoke.json"

# Where the create flow's time goes, in-process (bench/flow_profile.py).
bench-flow: install
	$(PY) bench/flow_profile.py $(FLOW_ARGS)

# Re-resolve pyproject.toml's ranges to the newest releases, in a throwaway
# venv, and pin them; then run `make test` before committing the result.
constraints:
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --upgrade pip
	.venv-constraints/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Versions the suite passed with: make constraints rewrites this file."; \
	  .venv-constraints/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf .venv-constraints

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
