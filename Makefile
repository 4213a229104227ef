# GBA innovation report. `make help` lists the targets.
# Every target that needs the environment sets it up first, idempotently.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
ARGS ?=
LANGS ?= all
FORMATS ?= html,pdf

.PHONY: help setup system-deps venv lock test test-unit test-data test-notebooks test-e2e lint \
	validate report bench lab clean

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-15s %s\n", $$1, $$2}'

setup: system-deps venv ## Install system packages (if missing) and the Python environment

system-deps: ## Install chromium, fonts-noto-cjk, poppler-utils when missing (Debian/Ubuntu)
	@bash scripts/setup_system.sh

venv: $(STAMP) ## Create .venv with exactly the versions in requirements.lock, then the package

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' \
	  || { echo "Set PYTHON=/path/to/python3.11 (e.g. make test PYTHON=python3.11)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python scripts/lock.py prune
	@touch $(STAMP)

lock: ## Re-resolve requirements.lock from pyproject.toml (needs PyPI), then `make setup`
	@test -x $(BIN)/uv || $(MAKE) --no-print-directory venv
	$(BIN)/python scripts/lock.py

lint: venv ## Run ruff on the package, scripts, tests and notebooks
	$(BIN)/ruff check src scripts tests notebooks
	$(BIN)/ruff format --check src scripts tests

validate: venv ## Validate every dataset and its metadata sidecar
	$(BIN)/gba-report validate

test: setup ## Run the lint and every test tier (unit, data, notebooks, e2e)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n auto $(ARGS)

test-unit: venv ## Unit tier: pure functions on inline inputs (no process, no data/ read)
	$(BIN)/python -m pytest -n auto tests/unit $(ARGS)

test-data: venv ## Data tier: every curated dataset loads, validates and says what the brief says
	$(BIN)/python -m pytest -n auto tests/data $(ARGS)

test-notebooks: setup ## Notebook tier: the report classes and notebooks, both languages
	$(BIN)/python -m pytest -n auto tests/notebooks $(ARGS)

test-e2e: setup ## End-to-end tier: builds, the CLI, failure modes, scheduling, set-up
	$(BIN)/python -m pytest -n auto tests/e2e $(ARGS)

report: setup ## Build all reports (LANGS=all FORMATS=html,pdf ARGS=...) into report/build/latest
	$(BIN)/gba-report build --lang $(LANGS) --format $(FORMATS) $(ARGS)

bench: setup ## Benchmark: cold build vs no-change rebuild vs by-hand commands
	$(BIN)/python scripts/bench.py $(ARGS)

lab: setup ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

clean: ## Remove build outputs (keeps .venv)
	rm -rf report/build .pytest_cache
