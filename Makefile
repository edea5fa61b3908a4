# finder: `make run` serves the app with demo data; `make test` runs lint, types and every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export FINDER_ENV ?= development

.PHONY: run install install-dev browser-deps db demo test lint types pytest fuzz bench bench-deps bench-full bench-pages clean \
	translations-extract translations-update translations-compile translations-init

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## Debian's chromium for browser tests (never `playwright install`: it downloads a browser).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			--no-install-recommends chromium fonts-liberation >/dev/null; \
	fi

db: install translations-compile
	$(FLASK) init-db

## Languages: catalogs in translations/<code>/LC_MESSAGES/messages.po (README: Languages).
PYBABEL := $(VENV)/bin/pybabel
POT := translations/messages.pot

translations-extract: install
	$(PYBABEL) -q extract -F babel.cfg -k lazy_gettext -k _l -k N_ --no-location --sort-output --width=100 \
		--project finder --copyright-holder "finder contributors" -o $(POT) .

translations-update: translations-extract
	$(PYBABEL) -q update -i $(POT) -d translations --no-fuzzy-matching --ignore-obsolete --width=100

## A new language: make translations-init LANG_CODE=fr, then add it to finder/i18n.py.
translations-init: translations-extract
	$(PYBABEL) init -i $(POT) -d translations -l $(LANG_CODE)

translations-compile: install
	$(PYBABEL) -q compile -d translations

demo: db
	$(FLASK) demo-data --if-empty

run: demo
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install-dev
	$(VENV)/bin/mypy

pytest: install-dev browser-deps translations-compile
	FINDER_TEST_DB=sqlite $(VENV)/bin/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		FINDER_TEST_DB=postgresql $(VENV)/bin/pytest -q; \
	else \
		echo "TEST_DATABASE_URL not set: skipped the PostgreSQL run"; \
	fi

test: lint types pytest

## A longer fuzzing run than the one in `make test` (tests/test_fuzz.py, tests/test_faults.py).
fuzz: install-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-200} $(VENV)/bin/pytest -q tests/test_fuzz.py tests/test_faults.py

## wrk (Debian's) loads the server in the end-to-end benchmark; without it a slower
## Python load generator stands in.
bench-deps:
	@if ! command -v wrk >/dev/null 2>&1; then \
		echo "Installing Debian's wrk for the benchmark..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			--no-install-recommends wrk >/dev/null || echo "wrk not installed: using Python load"; \
	fi

bench: install-dev bench-deps
	$(PY) -m bench --quick

bench-full: install-dev bench-deps
	$(PY) -m bench

## Page weights against their budgets, and Lighthouse scores when `lighthouse` is on PATH
## (or BENCH_LIGHTHOUSE names it): npm install lighthouse@12.
bench-pages: install-dev
	$(PY) -m bench --pages

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache
