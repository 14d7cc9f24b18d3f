# 共富超市 · 幸福直播间 — the two commands a new user needs:
#   make run    set up everything and serve the site on http://127.0.0.1:8000
#   make test   run the whole test suite on the embedded default (SQLite, in-memory layer)
# and for live video:
#   make ingest start nginx-rtmp (RTMP in on :1935, HLS out to var/hls) next to `make run`

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT  # the site's own address (SITE_URL) follows them unless SITE_URL is set

.PHONY: run setup test install install-dev system frontend ingest bench bench-shop messages clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt pins the whole dependency tree (pip-compile, see `make lock`).
$(VENV)/.installed: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt constraints.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# Re-pin every package after changing requirements*.txt.
lock: $(VENV)/.installed-dev
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-header -o constraints.txt requirements-dev.txt

# hls.js and the other front-end libraries, from the npm registry (served as static files).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the live player falls back to the browser's native HLS"; fi

install: $(VENV)/.installed frontend
install-dev: $(VENV)/.installed-dev frontend
frontend: node_modules/.package-lock.json

# Debian packages for live video and the browser tests (nginx-rtmp, ffmpeg, chromium).
system:
	@sh scripts/system-deps.sh

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# The web server, the background worker (django-tasks) and the sweep that releases unpaid orders
# and unclaimed flash units every minute, stopped together with Ctrl-C.
# WebSocket frames over 16 KiB are refused by Uvicorn before the site reads them.
run: setup
	@echo "共富超市 · 幸福直播间: http://$(HOST):$(PORT)/  (demo accounts: admin, host, secretary, secretary_damiaotun, pickup, worker, editor, resident, elder / gongfu2026)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --backend background --interval 1 --no-reload & \
	$(BIN)/python manage.py release_unpaid --every 60 & \
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-access-log --lifespan off --ws-max-size 16384

test: system install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

ingest: install system
	$(BIN)/python manage.py live_ingest --site http://$(HOST):$(PORT)

# The live fan-out benchmark (Redis at REDIS_URL, default 127.0.0.1:6379): 2,000 viewers × 20 msg/s, then
# 5,000 × 10, each against a bare websockets baseline, with 1 and 2 server processes (about 20 minutes).
bench: install-dev
	$(BIN)/python bench/live_fanout.py $(BENCH_ARGS)

# The catalogue benchmark of issue #9: 10,000 products, queries per page, requests per second, page weight.
bench-shop: system install-dev
	$(BIN)/python bench/catalogue.py $(BENCH_ARGS)

# Compile the English catalogue (Chinese is the source language) with Babel, pure Python.
messages: install
	$(BIN)/pybabel compile -D django -d locale -l en

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3 media
