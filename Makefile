# 共富超市 · 幸福直播间 — the two commands a new user needs:
#   make run    set up everything and serve the site on http://127.0.0.1:8000
#   make test   run the whole test suite on the embedded default (SQLite, in-memory layer)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run setup test install install-dev messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py update_index --remove --verbosity 0
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: setup
	@echo "共富超市 · 幸福直播间: http://$(HOST):$(PORT)/  (demo accounts: admin, host, secretary, resident, elder / gongfu2026)"
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Compile the English catalogue (Chinese is the source language) with Babel, pure Python.
messages: install
	$(BIN)/pybabel compile -D django -d locale -l en

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3 media
