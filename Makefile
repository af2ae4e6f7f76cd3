# eidos developer commands. `make help` lists them. CI runs .ci/run (make test + make lint).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
OUT     ?= out
# The image a release publishes: the repository named in src/eidos/__init__.py, tag v<version>.
IMAGE_REPOSITORY := $(shell sed -n 's/^IMAGE_REPOSITORY = "\(.*\)"$$/\1/p' src/eidos/__init__.py)
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"$$/\1/p' src/eidos/__init__.py)
IMAGE   ?= $(IMAGE_REPOSITORY):v$(VERSION)

.DEFAULT_GOAL := help
.PHONY: help install install-dev run run-api test test-image lint fmt typecheck imports check cov bench bench-api data image image-push constraints clean

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

run: install ## the main job: snapshot this machine -> recipe -> bundle (+ an H100/EKS one, dry-run deployed), all into ./out
	@mkdir -p $(OUT)
	$(BIN)/eidos snapshot --best-effort -o $(OUT)/snapshot.yaml
	$(BIN)/eidos recipe --snapshot $(OUT)/snapshot.yaml --intent training -o $(OUT)/recipe.yaml
	$(BIN)/eidos recipe --os ubuntu --service eks --gpu h100 --intent training -o $(OUT)/recipe-h100-eks-ubuntu-training.yaml
	$(BIN)/eidos bundle -f $(OUT)/recipe.yaml -o $(OUT)/bundles --force
	$(BIN)/eidos bundle -f $(OUT)/recipe-h100-eks-ubuntu-training.yaml -o $(OUT)/bundles-h100-eks-ubuntu-training --force
	cd $(OUT)/bundles-h100-eks-ubuntu-training && sha256sum -c --quiet checksums.txt && ./deploy.sh --dry-run
	@echo "--- $(OUT)/recipe.yaml (from this machine's snapshot) ---"
	@cat $(OUT)/recipe.yaml

run-api: install ## start the API server on 127.0.0.1:8080 (Ctrl-C to stop)
	$(BIN)/eidos-api-server --host 127.0.0.1 --port 8080

test: install-dev ## run the whole test suite with coverage (not the image build)
	$(BIN)/python -m compileall -q src
	$(BIN)/pytest --cov --cov-report=term -q -m "not image"

test-image: install-dev ## prove the Containerfile: buildah build from a debootstrap base, run it (minutes)
	$(BIN)/pytest -q -m image

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
	$(BIN)/python -m compileall -q src
	$(BIN)/pytest tests/bench --benchmark-only --benchmark-columns=min,median,mean,max,rounds -q -p no:cacheprovider
	$(BIN)/python tools/bench_cli.py
	$(BIN)/python tools/bench_kube.py
	$(BIN)/python tools/bench_validate.py
	$(BIN)/python tools/bench_fleet.py

bench-api: install-dev ## API server load test (wrk): throughput, latency at 1,000 req/s, soak RSS
	$(BIN)/python tools/bench_api.py

image: ## build the container image $(IMAGE) with buildah, podman or docker
	tools/build_image "$(IMAGE)"

image-push: ## build and push $(IMAGE): what a release publishes (docs/release.md)
	tools/build_image --push "$(IMAGE)"

constraints: ## re-pin the image's runtime dependencies (constraints.txt) from a fresh venv
	rm -rf $(OUT)/constraints-venv && $(PY) -m venv $(OUT)/constraints-venv
	$(OUT)/constraints-venv/bin/pip install -q .
	{ sed -n '1,2p' constraints.txt; $(OUT)/constraints-venv/bin/pip freeze --exclude eidos; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf $(OUT)/constraints-venv

data: install-dev ## regenerate src/eidos/recipe/_compiled.py from the embedded YAML
	$(BIN)/python tools/gen_data.py

clean: ## remove the venv, caches and outputs
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage $(OUT) bundles
