# Kollega: `make run` sets up and starts the intranet; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test system-packages lint messages clean

$(BIN)/kollega: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/kollega

run: install
	$(BIN)/kollega migrate --noinput
	$(BIN)/kollega demo --if-empty
	$(BIN)/kollega serve --host $(HOST) --port $(PORT)

$(VENV)/.test-deps: $(BIN)/kollega pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian packages the tests drive: chromium (browser journeys), gettext (catalogue checks).
system-packages:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and gettext for the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext; \
	fi

install-test: $(VENV)/.test-deps system-packages

test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m kollega makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

messages:
	cd src/kollega && ../../$(BIN)/kollega makemessages -l sv -l nb --no-obsolete
	cd src/kollega && ../../$(BIN)/kollega compilemessages

clean:
	rm -rf $(VENV) var
