# actorgraph. `make up` on a fresh machine; `make test` runs what CI runs (README.md).

# Python 3.11, else whatever python3 is (pip then says if it is not 3.11).
PYTHON ?= $(or $(shell command -v python3.11 2>/dev/null),python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: setup up test browser lint lock bench down clean

# setup: the virtualenv, its packages (again only when pyproject.toml changed), the Neo4j jars.
setup: $(INSTALLED)
	$(BIN)/actorgraph neo4j install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the versions and files in requirements.lock (hash-checked, the spaCy model among them),
# then actorgraph itself on top of them.
$(INSTALLED): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check --no-deps -e .
	touch $@

# lock: requirements.lock again from pyproject.toml, every package pinned with its hashes.
lock: $(INSTALLED)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --no-header --quiet -o requirements.lock

# up: start the local Neo4j, load the seed articles, serve the API (Ctrl-C stops the API only).
up: setup
	$(BIN)/actorgraph neo4j start
	$(BIN)/actorgraph load seeds/
	$(BIN)/actorgraph serve

# test: lint, check formatting, type-check, then the test suite against a real Neo4j (and, for
# the explorer page, a real Chromium).
test: setup browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pyright
	$(BIN)/pytest

# browser: Debian's Chromium for the explorer's tests, installed with apt-get when missing.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		echo "installing Chromium for the explorer's tests (apt-get install chromium)"; \
		$(SUDO) apt-get install -y -q chromium || \
		{ $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }; }

# lint: ruff and pyright only, no Neo4j needed.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/pyright

# bench: the four benchmarks (extraction, loading, queries, scale) on a Neo4j of their own; they
# print ratios against baselines measured in the same run, and a summary table (README.md).
bench: setup
	$(BIN)/python -m bench

# down: stop the local Neo4j that `make up` started.
down:
	@if [ -x $(BIN)/actorgraph ]; then $(BIN)/actorgraph neo4j stop; fi

# clean: stop Neo4j, then remove the virtualenv and everything under .neo4j (jars and data).
clean: down
	rm -rf $(VENV) .neo4j
