# The two commands a newcomer needs: `make run` and `make test`. Both install what
# they need first (a Python virtual environment, GOV.UK Frontend from npm).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export FLASK_APP := app.py

.PHONY: install run test lint audit bench assets system-packages clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/govuk/site.css: node_modules/.installed static/scss/site.scss scripts/build-assets.mjs
	npm run --silent build

assets: static/govuk/site.css

install: $(BIN)/.installed assets

# Runs the site on http://127.0.0.1:5000 with demo data on SQLite (instance/webinar.sqlite),
# and a sender alongside it: with no FLASK_MAIL_SERVER, emails are written to
# instance/emails/ and listed at http://127.0.0.1:5000/dev/emails. The sender stops
# when `flask run` does.
run: install
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask demo-data
	FLASK_DEBUG=1 $(BIN)/flask outbox send --forever & sender=$$!; \
	trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	FLASK_DEBUG=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

# Chromium for the browser tests, from Debian's packages (needs root).
system-packages:
	bash scripts/install-system-packages.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Lint, types, then every test (SQLite, PostgreSQL, real SMTP, headless Chromium).
test: system-packages lint
	$(BIN)/pytest

# Known vulnerabilities in requirements.txt (pip-audit). Not part of `make test`: it needs
# the vulnerability service. It fails, saying it could not check, when any package was
# skipped or the service is unreachable, instead of passing without checking.
audit: $(BIN)/.installed
	$(BIN)/python scripts/audit.py

# The site under its production settings (gunicorn.conf.py, PostgreSQL, demo data) against
# a minimal Flask app, in the same run (docs/benchmarks.md). Needs PostgreSQL at
# BENCH_POSTGRES; makes and drops its own database; loopback only, about two minutes
# (`make bench BENCH_ARGS=--quick`: under a minute).
BENCH_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/test
BENCH_ARGS ?=
bench: $(BIN)/.installed
	$(BIN)/python scripts/benchmark.py --postgres $(BENCH_POSTGRES) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/govuk .pytest_cache .mypy_cache .ruff_cache
