# Kollega: `make run` sets up and starts the intranet; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres postgres install install-test system-packages \
	lint messages clean

# The local PostgreSQL the second test pass (and `make run DATABASE_URL=...`) uses.
PG_USER ?= kollega
PG_PASSWORD ?= kollega-test
PG_DB ?= kollega
PG_URL := postgres://$(PG_USER):$(PG_PASSWORD)@127.0.0.1:5432/$(PG_DB)

$(BIN)/kollega: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# SQLite with the WAL-reset fix, compiled into the virtualenv (tools/build-sqlite). If it
# cannot be built, Kollega runs on the system's SQLite and `kollega check` warns.
$(VENV)/.sqlite: tools/build-sqlite | $(BIN)/kollega
	tools/build-sqlite $(BIN)/python && touch $@ || true

install: $(BIN)/kollega $(VENV)/.sqlite

run: install
	$(BIN)/kollega migrate --noinput
	$(BIN)/kollega demo --if-empty
	KOLLEGA_TASKS_BACKEND=$${KOLLEGA_TASKS_BACKEND:-database} \
		KOLLEGA_PUBLIC_PAGES=$${KOLLEGA_PUBLIC_PAGES:-true} \
		$(BIN)/kollega serve --host $(HOST) --port $(PORT) --with-worker

$(VENV)/.test-deps: $(BIN)/kollega $(VENV)/.sqlite pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian packages the tests drive: chromium (browser journeys), gettext (catalogue checks),
# slapd and ldap-utils (the OpenLDAP server the directory sync tests start).
system-packages:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1 \
		|| [ ! -x /usr/sbin/slapd ] || ! command -v ldapadd >/dev/null 2>&1; then \
		echo "Installing Debian's chromium, gettext, slapd and ldap-utils for the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium gettext slapd ldap-utils; \
	fi

install-test: $(VENV)/.test-deps system-packages

# Every test twice: on SQLite (the default) and on PostgreSQL.
test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m kollega makemigrations --check --dry-run
	@sqlite=0; postgres=0; \
	$(MAKE) --no-print-directory test-sqlite || sqlite=$$?; \
	$(MAKE) --no-print-directory test-postgres || postgres=$$?; \
	echo "SQLite pass: exit $$sqlite, PostgreSQL pass: exit $$postgres"; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

test-sqlite: install-test
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-test postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

# A local PostgreSQL 15 (Debian's), started if stopped, with a role that may create
# the test database. Idempotent; needs root (as CI and the dev machines are).
postgres:
	@if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v pg_dump >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	fi
	@cluster=$$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $$1" "$$2}'); \
	if [ -z "$$cluster" ]; then pg_createcluster 15 main && cluster="15 main"; fi; \
	pg_ctlcluster $$cluster start 2>/dev/null || pg_ctlcluster $$cluster status >/dev/null
	@for i in 1 2 3 4 5 6 7 8 9 10; do \
		su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 1; done
	@su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='$(PG_USER)'\"" | grep -q 1 \
		|| su postgres -c "psql -q -c \"create role $(PG_USER) login createdb password '$(PG_PASSWORD)'\""
	@su postgres -c "psql -qtAc \"select 1 from pg_database where datname='$(PG_DB)'\"" | grep -q 1 \
		|| su postgres -c "createdb -O $(PG_USER) $(PG_DB)"
	@echo "PostgreSQL is up: DATABASE_URL=$(PG_URL)"

lint:
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

messages:
	cd src/kollega && ../../$(BIN)/kollega makemessages -l sv -l nb --no-obsolete
	cd src/kollega && ../../$(BIN)/kollega compilemessages

clean:
	rm -rf $(VENV) var
