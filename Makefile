# Ardoise: `make run` serves on http://127.0.0.1:8000, `make test` runs every check.
# Both set everything up first (Python virtualenv in .venv, npm packages in web/node_modules);
# `make test` first checks the system packages its tests need (scripts/system-packages.sh).

# Python 3.12 when it runs here, else python3 (>= 3.11); since the lean WebSocket reader both cost
# the same server CPU (BENCHMARKS.md). `make PYTHON=python3.13 setup` picks another.
PYTHON ?= $(shell python3.12 -c '' >/dev/null 2>&1 && echo python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
WEB_STAMP := web/node_modules/.installed
# The built client the server serves (web/static/dist, not in git); rebuilt when a source changes.
WEB_BUILD := web/static/dist/index.html
WEB_SOURCES := $(shell find web/src -type f) web/index.html web/vite.config.ts web/tsconfig.json

.PHONY: setup system-packages run test lint unit integration web-test bench clean wheel

setup: $(PY_STAMP) $(WEB_STAMP) $(WEB_BUILD)

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npm run build

# The client's type check and unit tests (Vitest); the browser tests run with pytest (tests/e2e).
web-test: $(WEB_STAMP)
	cd web && npm run typecheck && npm test

# What the tests need from the system (Debian's chromium, poppler-utils, fonts-dejavu-core, php-cli,
# php-xml, php-htmlpurifier; Python's venv; Node.js >= 20): missing packages are installed when run as root with apt-get, else this
# stops at once, naming them and the command that installs them. Nothing missing: no apt-get.
system-packages:
	@PYTHON='$(PYTHON)' scripts/system-packages.sh

run: setup
	$(BIN)/python -m server

# A wheel that carries the built client and the templates (setup.py): `pip install` it, then
# `ardoise serve` from any folder (docs/deployment.md).
# setuptools' build/ keeps what an earlier build copied (an old client bundle): start afresh.
WHEEL_DIR ?= dist
wheel: $(PY_STAMP) $(WEB_BUILD)
	rm -rf build
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir $(WHEEL_DIR) .

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: system-packages setup lint web-test
	$(BIN)/pytest

unit: $(PY_STAMP)
	$(BIN)/pytest tests/unit

integration: setup
	$(BIN)/pytest tests/integration

# The full benchmark (about 4 minutes): Ardoise and Hocuspocus side by side, see BENCHMARKS.md.
bench: setup
	$(BIN)/python -m bench --json bench/results/latest.json

clean:
	rm -rf $(VENV) web/node_modules web/static/dist .pytest_cache .mypy_cache .ruff_cache test-artifacts
