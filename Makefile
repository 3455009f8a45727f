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

# Chromium for the browser tests and nginx for tests/test_nginx.py, from Debian's packages
# (needs root or sudo; no service is started).
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

# `make bench` runs the three benchmarks in docs/benchmarks.md, each on a throwaway
# PostgreSQL database it makes and drops at BENCH_POSTGRES, loopback only:
# - the site under its production settings (gunicorn.conf.py, demo data) against a minimal
#   Flask app in the same run, with a registration burst (about two minutes;
#   BENCH_ARGS=--quick: under a minute);
# - organiser pages and jobs with 100 and with 100,000 bookings in one event (about two
#   minutes; BENCH_ORGANISER_ARGS);
# - the outbox: reminders due at once, sent by 1, 2 and 4 senders to a local SMTP sink
#   (5,000 by default; BENCH_OUTBOX_ARGS="--count 70000 --senders 4" for the launch-day
#   case, four to ten minutes).
BENCH_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/test
BENCH_ARGS ?=
BENCH_ORGANISER_ARGS ?=
BENCH_OUTBOX_ARGS ?=
bench: $(BIN)/.installed
	$(BIN)/python scripts/benchmark.py --postgres $(BENCH_POSTGRES) $(BENCH_ARGS)
	$(BIN)/python scripts/benchmark_organisers.py --postgres $(BENCH_POSTGRES) $(BENCH_ORGANISER_ARGS)
	$(BIN)/python scripts/benchmark_outbox.py --postgres $(BENCH_POSTGRES) $(BENCH_OUTBOX_ARGS)

clean:
	rm -rf $(VENV) node_modules static/govuk .pytest_cache .mypy_cache .ruff_cache
