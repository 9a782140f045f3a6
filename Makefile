# The two commands of the README. Each creates .venv from nothing when it is missing
# and reuses it otherwise (re-installing only when pyproject.toml changed).
# `make quick` is the edit-test loop: lint, types, and the tests not marked slow.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test quick lint types unit fast bench clean

# Tests run on every core (pytest-xdist; worksteal: an idle worker takes tests queued for a busy
# one, so a few long end-to-end tests do not leave a core idle at the end); JOBS=1 runs
# them one after the other.
JOBS ?= auto

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: lint types unit

quick: lint types fast

lint: $(STAMP)
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy --strict actito_iac

# The tests start the command hundreds of times: its bytecode is written first, so that none of
# them compiles the project again where PYTHONDONTWRITEBYTECODE is set (up-to-date files are
# skipped).
unit: $(STAMP)
	$(BIN)/python -m compileall -q actito_iac
	$(BIN)/pytest -q -n $(JOBS) --dist worksteal

fast: $(STAMP)
	$(BIN)/python -m compileall -q actito_iac
	$(BIN)/pytest -q -n $(JOBS) --dist worksteal -m "not slow"

# Plan and apply against an emulator answering in 50 ms, at three sizes and throttled, compared
# with ACTITO's bound; rewrites the README's "Performance" table with the median of REPEAT runs
# of each. About ten minutes a repetition; fails only if a run made more calls than the minimum
# or had more than 5 in flight (benchmarks/bench.py).
REPEAT ?= 3
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --readme --repeat $(REPEAT)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
