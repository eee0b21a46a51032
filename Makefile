# Set-up, headless run, tests and benchmarks of the lab. Every target but `check` and `clean` creates .venv and
# installs the pinned requirements first if needed, so `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NOTEBOOK := lab2_backprop.ipynb
BUILD := build
INSTALLED := $(VENV)/.requirements-installed
# `make check`: nbval's lax mode runs every cell (so every assert) but compares no output (none is
# tagged nbval-check-output); `-o addopts=` drops pyproject's strict options, the cell timeout is kept.
CHECK_OPTIONS := -o addopts= -p no:cacheprovider --nbval-lax --nbval-current-env --nbval-cell-timeout=300

.PHONY: install run test check lab bench seeds clean

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python -m tools.build_notebook $(NOTEBOOK) $(BUILD)

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The unit tests and the notebook in the current environment (any torch 2.x, CPU or GPU; no .venv, no pins):
# `make check PYTHON=/path/to/python`.
check:
	$(PYTHON) -m pytest $(CHECK_OPTIONS) tests $(NOTEBOOK)

lab: $(INSTALLED)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK)

bench: $(INSTALLED)
	$(BIN)/python -m tools.bench_notebook

# `make seeds SEEDS="0 1 2"`: the notebook run under each seed (SEED = k injected after the cell
# tagged "parameters"), outputs not compared; fails, listing them, if any cell raises.
SEEDS ?= 0 1 2 3 4 5 6 7 8 9
seeds: $(INSTALLED)
	$(BIN)/python -m tools.run_seeds --notebook $(NOTEBOOK) $(SEEDS)

clean:
	rm -rf $(BUILD)
