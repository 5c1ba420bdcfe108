# pmo — every target sets itself up: a virtual environment in .venv with the package and its tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per CPU; each has its own test database.
PYTEST_WORKERS ?= auto

.PHONY: run test lint typecheck archcheck pytest test-postgres e2e bench clean help

help:
	@echo "make run        start pmo with the demo portfolio on http://$(HOST):$(PORT) (PORT=8100 to change)"
	@echo "make test       lint, type-check, architecture check and the test suite on SQLite"
	@echo "make test-postgres  the test suite on the PostgreSQL in DATABASE_URL"
	@echo "make e2e        browser tests in Chromium (/usr/bin/chromium)"
	@echo "make bench      benchmarks in bench/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("pmo needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,mpp]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/pmo demo --host $(HOST) --port $(PORT)

test: lint typecheck archcheck pytest

lint: $(STAMP)
	$(BIN)/ruff check pmo tests bench
	$(BIN)/ruff format --check pmo tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

archcheck: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -q -m "not e2e" -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@test -n "$$DATABASE_URL" || (echo "make test-postgres: set DATABASE_URL=postgres://user@127.0.0.1:PORT/db"; exit 2)
	$(BIN)/pytest -q -m "not e2e" -n $(PYTEST_WORKERS) $(PYTEST_ARGS) tests pmo/engine

e2e: $(STAMP)
	@test -x /usr/bin/chromium || (echo "make e2e: /usr/bin/chromium is missing (apt-get install chromium)"; exit 2)
	$(BIN)/pytest -q -m e2e tests/e2e $(PYTEST_ARGS)

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
