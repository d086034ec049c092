# Thuisnet: `make run` serves the demo site (web + worker); `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install dev migrate demo worker web lint format messages browser-test postgres-test clean check-deploy lock backup restore wheel

# Installs come from the lock files (exact versions, hashes checked); pyproject.toml only
# says what we depend on. `make lock` regenerates them (see README, "Dependencies").
$(STAMP): pyproject.toml requirements/lock.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV) || { echo "Could not create a venv: on Debian/Ubuntu run 'apt-get install python3.11-venv'"; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements/lock.txt
	$(PIP) install --quiet --no-deps -e .
	@touch $@

$(DEV_STAMP): $(STAMP) requirements/dev-lock.txt
	$(PIP) install --quiet --require-hashes -r requirements/dev-lock.txt
	@touch $@

install: $(STAMP)
dev: $(DEV_STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Thuisnet: http://$(HOST):$(PORT)/  (CMS: /admin/)  — stop with Ctrl-C"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py worker & \
	$(PY) manage.py runserver $(HOST):$(PORT)

web: $(STAMP)
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(PY) manage.py worker

test: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=thuisnet.settings.test $(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

# In their own run: transactional browser tests would spoil the snapshot of a mixed run.
browser-test: $(DEV_STAMP) node_modules/axe-core/axe.min.js
	DJANGO_SETTINGS_MODULE=thuisnet.settings.test $(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(DEV_STAMP)
	cd site/thuisnet && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete
	(cd foster && ../$(PY) ../manage.py makemessages -l en --no-obsolete --ignore 'placements/*')
	(cd respite && ../$(PY) ../manage.py makemessages -l en --no-obsolete --ignore 'payouts/*')
	for app in knowledge matching search; do (cd $$app && ../$(PY) ../manage.py makemessages -l en --no-obsolete); done
	# Sub-apps keep their own catalogues (their own tables, their own texts).
	for app in foster/placements respite/payouts; do (cd $$app && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete); done
	$(PY) manage.py compilemessages

# Regenerate the lock files from pyproject.toml with uv (kept in its own venv, .tools/).
# `make lock UPGRADE=1` moves every package to its newest allowed version.
LOCK_FLAGS = --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --quiet $(if $(UPGRADE),--upgrade)
lock:
	@test -x .tools/bin/uv || { $(PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv; }
	.tools/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements/lock.txt
	.tools/bin/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements/dev-lock.txt

# The production artefact: dist/thuisnet-<version>-py3-none-any.whl (templates, static,
# translations and data inside; check with `python -m zipfile -l dist/*.whl`).
wheel: $(STAMP)
	rm -rf dist build && $(PIP) wheel --quiet --no-deps -w dist .

# Backup and restore of PostgreSQL (pg_dump custom format) and the media folder, with a
# SHA256SUMS file; restore checks it first. DATABASE_URL must be set (postgres://...).
BACKUP_DIR ?= var/backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup:
	scripts/backup.sh "$(BACKUP_DIR)"
restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<stamp> (DATABASE_URL set)"; exit 2; }
	scripts/restore.sh "$(BACKUP)"

clean:
	rm -rf $(VENV) .tools var/*.sqlite3 staticfiles dist build
