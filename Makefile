# Two commands: `make run` (set up and start the bot) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

.PHONY: setup run chat test bench eval
setup: $(STAMP)

run: $(STAMP)
	$(BIN)/canhgiac run $(if $(CONFIG),--config $(CONFIG),)

chat: $(STAMP)
	$(BIN)/canhgiac chat

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/canhgiac eval

bench: $(STAMP)
	$(BIN)/python benchmarks/engine_bench.py
