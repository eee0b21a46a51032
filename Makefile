# Set-up, headless run, tests and benchmarks of the lab. Every target creates .venv and installs
# the pinned requirements first if needed, so `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NOTEBOOK := lab2_backprop.ipynb
BUILD := build
INSTALLED := $(VENV)/.requirements-installed

.PHONY: install run test lab bench clean

install: $(INSTALLED)

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python scripts/build_notebook.py $(NOTEBOOK) $(BUILD)

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lab: $(INSTALLED)
	$(BIN)/jupyter lab $(NOTEBOOK)

bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench_notebook.py

clean:
	rm -rf $(BUILD)
