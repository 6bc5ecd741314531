# verval: one Makefile. `make` = lint + test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all install demo test lint format bench bench-peer clean

all: lint test

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf demo_out
	$(BIN)/verval inspect sample_data/submissions/ | tail -n 40
	$(BIN)/verval reconcile sample_data/province/ sample_data/submissions/ --out demo_out --force
	$(BIN)/verval report demo_out --per-desa demo_out/per_desa --deadline 2023-02-10
	@echo "Demo results are in $(CURDIR)/demo_out"

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff format --check verval_cli tests benchmarks
	$(BIN)/ruff check verval_cli tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format verval_cli tests benchmarks
	$(BIN)/ruff check --fix verval_cli tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

bench-peer: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks.peer

clean:
	rm -rf $(VENV) demo_out bench_results .pytest_cache .mypy_cache .ruff_cache
