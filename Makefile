# Two commands matter: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench mutation run check lint typecheck catalogs compile clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

compile: $(STAMP)
	$(BIN)/pybabel -q compile -d messages/locale -D messages

demo: $(STAMP) compile
	$(BIN)/schakel demo --files demo-files

run: $(STAMP) compile
	$(BIN)/schakel run

lint: $(STAMP)
	$(BIN)/ruff check bot handlers messages tests

typecheck: $(STAMP)
	$(BIN)/mypy bot messages handlers

check: $(STAMP)
	$(BIN)/schakel check-catalogs
	$(BIN)/schakel check-messages --problems

test: $(STAMP) compile lint typecheck check
	$(BIN)/pytest -q

# Benchmarks (not part of `make test`): docs/performance.md, from docs/bench/*.json. Then
# the long variants of the fault and crash tests (at Telegram's pace) and the fuzz tests at
# length (twenty times the examples of `make test`, new ones each run).
bench: $(STAMP) compile
	$(BIN)/python -m tests.benchmarks
	$(BIN)/pytest -q -m slow tests/e2e/test_faults.py tests/test_crash.py
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q tests/fuzz
	$(MAKE) mutation

# The mutation run (mutmut, `[tool.mutmut]` in pyproject.toml): its score and every mutant
# not killed go to docs/testing.md. Works in mutants/; a second run retries what changed.
mutation: $(STAMP) compile
	$(BIN)/python -m tests.benchmarks.mutation

# For translators and writers: after changing messages/texts.py.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F pyproject.toml -k N_ -k for_newcomers -k label -c Translators: --no-location \
		--project=Schakel -o messages/locale/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete -i messages/locale/messages.pot -d messages/locale -D messages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find messages/locale -name '*.mo' -delete
