# verval: one Makefile. `make` = lint + test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all install demo test lint format bench bench-peer mutate golden clean

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
	$(BIN)/python -m benchmarks.rerun
	$(BIN)/python -m benchmarks.province
	$(BIN)/python -m benchmarks.messy

bench-peer: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks.peer

# Mutation testing, by hand (not part of `make`/`make test`/CI): MODULES="matching findings" to pick,
# ARGS=--resume to go on with an interrupted run. Kill rates and judged survivors: tests/README.md.
mutate: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,mutate]'
	$(BIN)/python tests/mutate.py $(ARGS) $(MODULES)

# Rewrite the golden counts of the sample's findings (commit the new file with the change that moved them).
golden: $(STAMP)
	$(BIN)/python tests/sample_golden.py --write

clean:
	rm -rf $(VENV) demo_out bench_results .pytest_cache .mypy_cache .ruff_cache .mutate
