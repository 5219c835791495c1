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

# Debian packages for reading screenshots: Tesseract with its Vietnamese and English data (the tesserocr wheel
# brings its own libtesseract; the -dev packages let it build from source where no wheel fits), and Noto Sans,
# which the screenshot tests render with. Installed when missing if we are root on Debian; otherwise the one
# command to run is printed and the bot runs with image reading off.
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng libtesseract-dev libleptonica-dev fonts-noto-core

.PHONY: setup lock run chat test test-fast lint fmt typecheck bench bench-images eval system-deps
setup: system-deps $(STAMP)

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian packages:" $$missing; \
	  { apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; }; } || \
	  echo "warning: could not install $$missing; image reading will be off"; \
	else \
	  echo "image reading needs: sudo apt-get install -y" $$missing; \
	fi

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

run: system-deps $(STAMP)
	$(BIN)/canhgiac run $(if $(CONFIG),--config $(CONFIG),)

chat: $(STAMP)
	$(BIN)/canhgiac chat

test: system-deps $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit-test loop: everything but the tests marked slow (real processes, long waits), on two worker processes;
# under a minute. PostgreSQL is left to `make test` (its tests share one database, so they cannot run in parallel).
test-fast: system-deps $(STAMP)
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

bench-images: system-deps $(STAMP)
	$(BIN)/python benchmarks/image_bench.py
