# Salkku: `make run` serves the app with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run with production-like settings; only what a plain-HTTP test client needs is relaxed.
TEST_ENV := DEBUG=false SECRET_KEY=$${SECRET_KEY:-test-only-secret-key} SECURE_SSL_REDIRECT=false

.PHONY: run test venv migrate demo bench load messages check backup restore clean

$(STAMP): pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

# Local development settings, so manage.py works in this folder without exporting anything.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" > $@
	@echo "Wrote .env for local development (DEBUG=true); a deployment sets its own environment."

# The task worker (reports, import checks, reminders) runs beside the web server and stops
# with it: the trap ends it however runserver ends (Ctrl+C, an error, a signal).
run: $(STAMP) .env
	@scripts/pdf-libraries
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	echo "Task worker started (process $$worker); it stops with the server."; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# One pytest process per core, each with its own test database; PYTEST_ARGS="-n 0" runs in one.
test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -n auto $(PYTEST_ARGS)

bench: $(STAMP)
	@for script in benchmarks/[!_]*.py; do [ -e "$$script" ] || continue; $(TEST_ENV) $(PY) "$$script" || exit 1; done

# The load test (benchmarks/load/run.py): gunicorn with the Procfile's command and 2 workers,
# PostgreSQL with 100 000 ideas (LOAD_DATABASE_URL, default salkku_load on 127.0.0.1), 60 s of
# simulated managers and funders. Needs the bench extra (locust), installed here if missing.
load: $(STAMP)
	@$(PY) -c 'import locust' 2>/dev/null || $(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) benchmarks/load/run.py

messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l fi -l sv --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

check: $(STAMP)
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=salkku.example.fi \
		$(PY) manage.py check --deploy --fail-level WARNING

# The whole database to one file (BACKUP_DIR/salkku-<date>-<time>.dump, or FILE=...).
# No install step first: a scheduled backup must not change the installation it runs in.
backup:
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

# Replaces ALL data with the backup FILE; asks first (YES=1 skips the question, for scripts).
restore:
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/salkku-<date>-<time>.dump"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(YES),--yes)

clean:
	rm -rf $(VENV) staticfiles test-db.sqlite3*
