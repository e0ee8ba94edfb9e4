# newsevents: two commands. `make run` sets up and processes the sample corpus; `make test` sets up and checks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= newsevents.duckdb
SAMPLE := examples/corpus

.PHONY: setup run test lint types unit bench clean lock

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: setup
	$(BIN)/newsevents process $(SAMPLE) --db $(DB)
	$(BIN)/newsevents stats --db $(DB)
	@echo "explore: .venv/bin/newsevents serve --db $(DB)"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: lint types unit

# Benchmarks read ../shared/eval (not part of the repository); see the README's figures.
bench: setup
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/statements.py
	$(BIN)/python benchmarks/events.py
	$(BIN)/python benchmarks/throughput.py

# Regenerate the hash-pinned lock (maintainers only; needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --extra ray --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(DB) .mypy_cache .ruff_cache .pytest_cache
