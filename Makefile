# Leerwerk – the front door. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
LEERWERK := $(BIN)/leerwerk
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup install test test-fast test-browser browser lint format schema messages check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

## run: set up the embedded platform (SQLite, reference and demo data) and start it on :8000
run: setup
	@echo "Leerwerk draait op http://$(HOST):$(PORT)/  (stoppen: Ctrl+C)"
	@# The background worker (imports of large files) runs beside the web server and stops with it.
	@$(LEERWERK) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(LEERWERK) runserver $(HOST):$(PORT)

setup: install
	$(LEERWERK) migrate --no-input
	$(LEERWERK) load_reference_data
	$(LEERWERK) load_demo_data
	$(LEERWERK) collectstatic --no-input --verbosity 0

## test: the whole suite, including browser tests on the system Chromium
test: install browser
	$(BIN)/pytest

## test-fast: everything but the browser tests
test-fast: install
	$(BIN)/pytest -m "not browser"

browser:
	@bin/ensure-chromium

## lint: ruff, formatting, migrations and API schema drift
lint: install
	$(BIN)/ruff check src loadtest
	$(BIN)/ruff format --check src loadtest
	$(LEERWERK) makemigrations --check --dry-run --no-input
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src loadtest
	$(BIN)/ruff format src loadtest

## schema: regenerate the committed OpenAPI schema (docs/api/openapi.yaml)
schema: install
	$(LEERWERK) spectacular --file docs/api/openapi.yaml --validate --fail-on-warn

messages: install
	cd src/leerwerk && ../../$(LEERWERK) makemessages -l nl --no-obsolete

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
