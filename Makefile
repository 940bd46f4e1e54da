# The two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.requirements-installed
DEV_STAMP := $(VENV)/.requirements-dev-installed

# The first Python 3.12+ that actually runs (pyenv shims of inactive versions do not).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	command -v $$p; break; fi; done)

.PHONY: help install install-dev run serve test lint migrate demo bench ci clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

define venv_install
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (none found on PATH)." >&2; exit 1; fi
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	@if command -v uv >/dev/null 2>&1; then \
		uv pip install --quiet --python $(PY) -r $(1); \
	else \
		$(PY) -m pip install --quiet --disable-pip-version-check -r $(1); \
	fi
	@touch $@
endef

# What running needs (requirements.txt), and what tests and lint add (requirements-dev.txt).
$(STAMP): requirements.txt
	$(call venv_install,requirements.txt)

$(DEV_STAMP): requirements.txt requirements-dev.txt
	$(call venv_install,requirements-dev.txt)
	@touch $(STAMP)

install: $(STAMP)  ## Create .venv and install what running needs (requirements.txt)

install-dev: $(DEV_STAMP)  ## Also the test and lint tools (requirements-dev.txt)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate  ## Create the demo data (idempotent)
	$(MANAGE) seed_demo

run: demo  ## Install, migrate, seed demo data, then run web + worker + beat on 127.0.0.1:8000
	@echo ""
	@echo "  Open http://127.0.0.1:8000/ and sign in with a demo login (password: hire-demo-2026):"
	@echo "    admin@demo.test        Admin (also the Django admin)"
	@echo "    recruiter@demo.test    Recruiter"
	@echo "    manager@demo.test      Hiring manager"
	@echo "    interviewer@demo.test  Interviewer (also interviewer2@, interviewer3@)"
	@echo ""
	$(MANAGE) run_stack

serve: install  ## Production-like: gunicorn + worker + beat (needs DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS)
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) collectstatic --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) run_stack --production --bind $${BIND:-0.0.0.0:8000}

lint: install-dev  ## ruff check, ruff format --check, import contracts, mypy, makemigrations --check, API schema
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

test: lint  ## Install, lint, check migrations and run the whole test suite
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install-dev  ## Benchmarks (see bench/README.md)
	$(PY) bench/run $(BENCH_ARGS)

ci:  ## What CI runs: the test command, then the suite on PostgreSQL + Redis with real workers
	bash .ci/run

clean:  ## Remove the virtualenv, local database, queues and uploads
	rm -rf $(VENV) db.sqlite3* var media staticfiles test-artifacts
