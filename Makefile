# The README's two commands: `make run` (set up, then the whole pipeline on the shipped
# article) and `make test` (set up, then the whole test suite).  Needs Python >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup clean

run: setup
	$(BIN)/newsloc run

test: setup
	$(BIN)/python -m pytest -q

# Creates the virtualenv if missing; the editable install is re-run every time (it is quick
# when nothing changed, and picks up new dependencies in pyproject.toml).
setup:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "newsloc needs Python >= 3.11 (found: $$($(PYTHON) --version 2>&1))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'

clean:
	rm -rf $(VENV) build dist test-artifacts .pytest_cache .hypothesis src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
