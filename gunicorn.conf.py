"""Gunicorn settings read from the working directory by `gunicorn app:app`.

Access logs must never hold a manage link's token (a bearer credential), so the access
logger redacts /booking/<token> paths wherever they appear (request line, Referer...).

Every number below can be changed without editing this file through a GUNICORN_*
environment variable (GUNICORN_WORKERS, GUNICORN_THREADS...); options given on the command
line win over both.
"""

from __future__ import annotations

import os


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_cpus = os.cpu_count() or 1

logger_class = "webinar.gunicorn_logging.RedactingLogger"
accesslog = "-"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads, not a sync worker: a registration waits out its timing floor (100 ms, see
# docs/safety.md#response-timing) and every request waits on PostgreSQL; with gthread that
# wait holds one thread, not a whole process. Not gevent/eventlet: they need monkey
# patching that psycopg 3 and Flask-SQLAlchemy's scoped sessions do not count on, whereas
# plain threads are what both support (one session and one pooled connection per thread).
worker_class = "gthread"
# One process per core (the GIL lets one thread of a process run at a time, so more
# processes than cores only adds memory); threads cover the waiting. 32 threads, not 8:
# every registration waits out its timing floor, and in `make bench` 24 people registering
# at once took all 8 threads of each worker, so the home page queued behind them (p50 10 ms
# idle, 200 ms during the burst); with 32 it stayed at 11 ms (docs/benchmarks.md#registrations).
# Threads may outnumber the database pool (SQLAlchemy's pool_size 5 + max_overflow 10 per
# worker): a thread waiting out the floor has committed and holds no connection (tested in
# tests/registrations/test_waiting_out_the_floor.py), and a thread that finds the pool
# empty waits for a connection (pool_timeout) instead of opening more than workers x 15,
# plus one per worker for the page version's listener (webinar/page_version_listener.py):
# workers x 16 must stay within PostgreSQL's max_connections. In a rush, registrations
# beyond a worker's few turns (FLASK_BOOKING_CONCURRENCY) also wait in their threads,
# holding no connection (docs/architecture.md#a-few-registrations-at-a-time).
workers = _number("GUNICORN_WORKERS", _cpus)
threads = _number("GUNICORN_THREADS", 32)

# The slowest legitimate request is an organiser's XLSX export of a very large event
# (seconds, streamed); with gthread the timeout only fires when a worker's main loop stops
# answering the arbiter (a stuck process), so it can stay well above that.
timeout = _number("GUNICORN_TIMEOUT", 60)
# On restart or deploy, requests in flight (an export, a registration) get this long to
# finish before the worker is killed.
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a proxy that keeps connections open to us.
keepalive = _number("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak cannot grow forever; the jitter stops every
# worker restarting at once. Not every 5,000 requests: a worker serves cached pages at
# over a thousand a second in a surge, so it restarted every few seconds, each time
# importing the app again and starting with no cached pages (in `make bench`: the feed at
# 0.32 of the minimal app with 5,000, 0.65 with 50,000; docs/benchmarks.md#the-event-row).
max_requests = _number("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _number("GUNICORN_MAX_REQUESTS_JITTER", 5_000)

# Never preload: the app would be imported (and a database engine possibly connected) in
# the arbiter, and forked workers would share its sockets.
preload_app = False

# Gunicorn 23+ listens on a control socket, by default ~/.gunicorn/gunicorn.ctl: two
# services run by one user (this site and another, or two instances of it) would fight
# over that one path. Off unless GUNICORN_CONTROL_SOCKET names a path for this service.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True
