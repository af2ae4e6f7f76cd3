# eidos developer commands. `make help` lists them. CI runs .ci/run (make test + make lint).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
OUT     ?= out

.DEFAULT_GOAL := help
.PHONY: help install install-dev run run-api test lint fmt typecheck imports check cov bench bench-api data clean

help: ## show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q src
	@touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m compileall -q src
	@touch $@ $(STAMP)

install: $(STAMP) ## create the venv and install eidos (byte-compiled)

install-dev: $(DEVSTAMP) ## install eidos with the development tools

run: install ## the main job on embedded defaults: recipe for ubuntu/eks/h100/training
	$(BIN)/eidos recipe --os ubuntu --service eks --gpu h100 --intent training

test: install-dev ## run the whole test suite with coverage
	$(BIN)/python -m compileall -q src
	$(BIN)/pytest --cov --cov-report=term -q

fmt: install-dev ## format the code
	$(BIN)/ruff format src tests tools
	$(BIN)/ruff check --fix src tests tools

lint: install-dev ## ruff (lint + format check), mypy --strict, import-linter, data in sync
	$(BIN)/ruff format --check src tests tools
	$(BIN)/ruff check src tests tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python tools/gen_data.py --check

check: lint test ## everything CI runs

bench: install-dev ## benchmarks: in-process (pytest-benchmark) and cold-process CLI
	$(BIN)/pytest tests/bench --benchmark-only --benchmark-columns=min,median,mean,max,rounds -q -p no:cacheprovider --no-cov
	$(BIN)/python tools/bench_cli.py

data: install-dev ## regenerate src/eidos/recipe/_compiled.py from the embedded YAML
	$(BIN)/python tools/gen_data.py

clean: ## remove the venv, caches and outputs
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage $(OUT) bundles
