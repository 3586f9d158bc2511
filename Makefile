# Two commands matter: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
# uv (a resolver of PyPI packages, seconds where pip-compile takes many minutes) in a venv
# of its own: it must work when the lock files do not (a dependency was just added).
LOCK_VENV := .venv-lock
UV := $(LOCK_VENV)/bin/uv
# Every platform (Debian, the Docker image, a developer's Mac), for the Python of Debian 12
# and of the image.
LOCK_FLAGS := --quiet --universal --generate-hashes --python-version 3.11 $(if $(UPGRADE),--upgrade)

.PHONY: demo test bench mutation run check lint typecheck catalogs compile clean lock check-lock

# Exact versions with their hashes from the lock file (`make lock` makes it from the
# ranges in pyproject.toml); then Schakel itself, without touching those.
$(STAMP): pyproject.toml $(DEV_LOCK)
	$(PYTHON) deploy/lockfile.py check $(DEV_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# The lock files say which versions `make` (and the Dockerfile) install; pyproject.toml the
# ranges allowed. After adding or changing a dependency in pyproject.toml: `make lock`, and
# commit the three files. `make lock UPGRADE=1` moves every package to its newest version
# in range (then run `make test`).
lock: $(UV)
	$(UV) pip compile $(LOCK_FLAGS) -o $(LOCK) pyproject.toml
	$(UV) pip compile $(LOCK_FLAGS) --extra dev -o $(DEV_LOCK) pyproject.toml
	$(PYTHON) deploy/lockfile.py stamp $(LOCK)
	$(PYTHON) deploy/lockfile.py stamp $(DEV_LOCK)

$(UV):
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet "uv>=0.5"

check-lock:
	$(PYTHON) deploy/lockfile.py check $(LOCK)
	$(PYTHON) deploy/lockfile.py check $(DEV_LOCK)

compile: $(STAMP)
	$(BIN)/pybabel -q compile -d messages/locale -D messages

demo: $(STAMP) compile
	$(BIN)/schakel demo --files demo-files

run: $(STAMP) compile
	$(BIN)/schakel run

lint: $(STAMP)
	$(BIN)/ruff check bot handlers messages tests deploy

typecheck: $(STAMP)
	$(BIN)/mypy bot messages handlers tests

check: $(STAMP)
	$(BIN)/schakel check-catalogs
	$(BIN)/schakel check-messages --problems

test: check-lock $(STAMP) compile lint typecheck check
	$(BIN)/pytest -q

# Benchmarks (not part of `make test`): docs/performance.md, from docs/bench/*.json. Then
# the long variants of the fault and crash tests (at Telegram's pace) and the fuzz tests at
# length (twenty times the examples of `make test`, new ones each run).
bench: $(STAMP) compile
	$(BIN)/python -m tests.benchmarks
	$(BIN)/pytest -q -m slow tests/e2e/test_faults.py tests/test_crash.py
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q tests/fuzz

# The mutation run (mutmut, `[tool.mutmut]` in pyproject.toml): its score and every mutant
# not killed go to docs/testing.md. Works in mutants/; a second run retries what changed.
# Not part of `make bench`: a whole run from nothing takes about 2.5 hours on two cores.
mutation: $(STAMP) compile
	$(BIN)/python -m tests.benchmarks.mutation

# For translators and writers: after changing messages/texts.py.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F pyproject.toml -k N_ -k for_newcomers -k label -c Translators: --no-location \
		--project=Schakel -o messages/locale/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete -i messages/locale/messages.pot -d messages/locale -D messages

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .mypy_cache .ruff_cache
	find messages/locale -name '*.mo' -delete
