# Thuisnet: `make run` serves the demo site (web + worker); `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install dev migrate demo worker web lint format messages browser-test postgres-test clean check-deploy

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV) || { echo "Could not create a venv: on Debian/Ubuntu run 'apt-get install python3.11-venv'"; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $@

$(DEV_STAMP): $(STAMP)
	$(PIP) install --quiet -e '.[dev]'
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
	$(VENV)/bin/ruff check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(DEV_STAMP)
	cd site/thuisnet && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete
	for app in foster respite knowledge matching search; do (cd $$app && ../$(PY) ../manage.py makemessages -l en --no-obsolete); done
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
