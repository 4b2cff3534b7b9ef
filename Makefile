# Trygga Platser – the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

.PHONY: help install run serve migrate demo test test-fast bench messages check-deploy worker beat clean

help:
	@echo "make run    – install, migrate, load the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test   – the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make bench  – benchmarks (throughput goals live here, never in timed tests)"

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/.installed

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: demo
	@echo "Serving Trygga Platser on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -m "not e2e and not worker" $(PYTEST_ARGS)

bench: install
	TP_BENCH=1 $(BIN)/python -m pytest tests/bench -p no:cacheprovider -s $(PYTEST_ARGS)

messages: install
	$(BIN)/python manage.py makemessages -l sv -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=artifacts
	$(BIN)/python manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=trygga_platser.settings.production \
	DJANGO_SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))") \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

worker: install
	$(BIN)/celery -A trygga_platser worker --loglevel=INFO

beat: install
	$(BIN)/celery -A trygga_platser beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3
