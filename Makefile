# Tuyên giáo số — the two commands: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in one process per core (pytest-xdist), at most four; PYTEST_PARALLEL= runs it in one.
PYTEST_PARALLEL ?= --numprocesses=auto --maxprocesses=4
# Settings for the test suite; DATABASE_URL and REDIS_URL pass through from the caller.
TEST_ENV := SECRET_KEY=tests-only-not-secret DEBUG=0 SECURE_HTTPS=0 STATICFILES_MANIFEST=0 ALLOWED_HOSTS=*

.PHONY: setup run test lint lock worker messages clean

setup: $(VENV)/.installed node_modules/.installed static/vendor/.built messages

$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.built: node_modules/.installed scripts/build-assets.mjs
	npm run --silent build
	touch $@

# Compiled catalogues (.mo) are built from the .po files, never committed.
messages: $(VENV)/.installed
	@DEBUG=1 $(MANAGE) compile_translations

run: setup
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput
	DEBUG=$${DEBUG:-1} $(MANAGE) seed_demo
	DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(MANAGE) ensure_admin
	@echo "Serving http://$(HOST):$(PORT)/ (the task worker runs beside it; Ctrl-C stops both)"
	@export DEBUG=$${DEBUG:-1}; \
	$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: setup
	$(MANAGE) db_worker

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup lint
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# Recompile the lock files after editing requirements*.in.
lock: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile --quiet --python-version 3.11 requirements.in -o requirements.lock
	$(VENV)/bin/uv pip compile --quiet --python-version 3.11 requirements-dev.in -o requirements-dev.lock

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
