# Lotse: the one entry point. `make run` and `make test` set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STATIC_BUILD := build/static/vendor

.PHONY: run test test-fast lint format messages makemigrations-check bench install install-dev assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed assets
install-dev: $(VENV)/.installed-dev assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# KERN UX and htmx come from the npm registry through package-lock.json and are
# copied into a git-ignored folder that Django's static files finder serves.
$(STATIC_BUILD)/.built: node_modules/.package-lock.json
	rm -rf $(STATIC_BUILD)
	mkdir -p $(STATIC_BUILD)/kern $(STATIC_BUILD)/htmx
	cp node_modules/@kern-ux/native/dist/kern.min.css $(STATIC_BUILD)/kern/
	cp -r node_modules/@kern-ux/native/dist/fonts $(STATIC_BUILD)/kern/
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC_BUILD)/htmx/
	touch $@

assets: $(STATIC_BUILD)/.built

run: install
	DEBUG=$${DEBUG:-1} $(BIN)/lotse migrate --no-input
	DEBUG=$${DEBUG:-1} LOTSE_BASE_URL=$${LOTSE_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/lotse demo --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/lotse runserver 127.0.0.1:$(PORT)

test: install-dev
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -r src/lotse -x "*/migrations/*"
	$(MAKE) --no-print-directory makemigrations-check

makemigrations-check:
	DEBUG=1 $(BIN)/lotse makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev
	cd src/lotse && DEBUG=1 ../../$(BIN)/lotse makemessages --locale=de --no-obsolete --add-location=file
	cd src/lotse && DEBUG=1 ../../$(BIN)/lotse compilemessages --locale=de -v 0

bench: install-dev
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) node_modules build var
