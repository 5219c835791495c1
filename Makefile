# Two commands: `make run` (set up and start the bot) and `make test` (set up and run every test).
# Both install from requirements/lock.txt (exact versions, hash-checked); `make lock` refreshes it from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt

# The lock pins every third-party package, pip and the build backend included, so the
# project itself installs with --no-build-isolation and nothing is fetched unchecked.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
	  echo "$(LOCK) does not satisfy pyproject.toml: run make lock"; exit 1; }
	touch $(STAMP)

.PHONY: setup lock run chat test test-fast lint fmt typecheck bench eval
setup: $(STAMP)

# Re-resolve the lock from the ranges in pyproject.toml (every extra) and requirements/build.in
# with the venv's own uv. Pins that still fit are kept; `make lock UPGRADE=1` moves all to the newest.
# An unchanged lock keeps its timestamp, so it does not trigger a reinstall.
lock:
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --require-hashes -r $(LOCK); }
	@tmp=$$(mktemp) && cp $(LOCK) $$tmp && \
	$(BIN)/uv pip compile -q pyproject.toml requirements/build.in --all-extras --universal \
	  --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
	  $(if $(UPGRADE),--upgrade,) -o $$tmp && \
	{ cmp -s $$tmp $(LOCK) && echo "$(LOCK) unchanged" || { cp $$tmp $(LOCK) && echo "$(LOCK) updated"; }; }; \
	rc=$$?; rm -f $$tmp; exit $$rc

run: $(STAMP)
	$(BIN)/canhgiac run $(if $(CONFIG),--config $(CONFIG),)

chat: $(STAMP)
	$(BIN)/canhgiac chat

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit-test loop: everything but the tests marked slow (real processes, long waits), on two worker processes;
# under a minute. PostgreSQL is left to `make test` (its tests share one database, so they cannot run in parallel).
test-fast: $(STAMP)
	CANHGIAC_TEST_DATABASE_URL= $(BIN)/python -m pytest -m "not slow" -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/canhgiac eval

bench: $(STAMP)
	$(BIN)/python benchmarks/engine_bench.py
