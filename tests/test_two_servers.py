"""Two app servers behind one load balancer behave as one.

Two real gunicorn instances, started with gunicorn.conf.py as in production, share one
PostgreSQL schema and one Redis: a change made through one is seen through the other at
once, cached public pages included (docs/architecture.md#public-page-cache).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import text

from tests.conftest import base_config, postgres_url
from tests.factories import Factory
from tests.organisers.conftest import make_organiser
from webinar import create_app
from webinar.extensions import db
from webinar.models import OrganiserRole, utc_now
from webinar.organisers.login import (
    SESSION_RECORD_KEY,
    SESSION_VERSION_KEY,
    open_session_record,
    session_version,
)
from webinar.page_version_listener import APPLICATION_NAME

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = base_config("", Path())["SECRET_KEY"]
HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')


class Browser:
    """One visitor: its own cookies, talking to whichever server it is pointed at."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        connection.close()
        return response.status, text

    def get(self, port: int, path: str) -> str:
        status, text = self.request(port, "GET", path)
        assert status == 200, (port, path, status)
        return text

    def submit(self, port: int, path: str, fields: dict[str, str] | None = None) -> int:
        """GET a form, then POST it with its hidden fields (the CSRF token) on the same server."""
        form = {}
        for tag in HIDDEN_INPUT.findall(self.get(port, path)):
            attributes = dict(ATTRIBUTE.findall(tag))
            form[attributes.get("name", "")] = attributes.get("value", "")
        form.update(fields or {})
        return self.request(port, "POST", path, form)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn_servers(count: int, env: dict[str, str], logs: Path) -> Iterator[list[int]]:
    """Start `count` servers at once, as production runs them; yields their ports."""
    ports = [free_port() for _ in range(count)]
    processes = []
    for port in ports:
        command = [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{port}", "app:app"]
        # Each server's own address: public pages are cached only for requests to it.
        own = {**env, "FLASK_PUBLIC_SITE_URL": f"http://127.0.0.1:{port}"}
        with (logs / f"gunicorn-{port}.log").open("w") as output:
            processes.append(
                subprocess.Popen(command, cwd=ROOT, env=own, stdout=output, stderr=output)
            )
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_answering(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def wait_until_answering(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn on port {port} stopped"
        try:
            if Browser().request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn on port {port} did not answer")


def server_environment(database_uri: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(
        FLASK_SQLALCHEMY_DATABASE_URI=database_uri,
        FLASK_SECRET_KEY=SECRET_KEY,
        FLASK_PUBLIC_SITE_URL="http://127.0.0.1:8000",
        FLASK_SESSION_COOKIE_SECURE="false",
        FLASK_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/5",
        # Our own keys in the shared Redis, and a window that cannot roll over mid-test.
        FLASK_RATELIMIT_KEY_PREFIX=f"test-two-servers-{secrets.token_hex(4)}",
        FLASK_RATELIMIT_STRATEGY="moving-window",
        FLASK_REGISTRATION_MINIMUM_RESPONSE_MS="0",
        # One small worker each: the point is two servers, and the machine is shared.
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
    )
    return env


def organiser_cookie(app: Flask) -> str:
    """The session cookie a signed-in organiser's browser holds (as tests/organisers do)."""
    organiser = make_organiser(OrganiserRole.ORGANISER)
    token = open_session_record(organiser)
    db.session.commit()
    with app.test_request_context():
        data = {
            "_user_id": str(organiser.id),
            SESSION_VERSION_KEY: session_version(organiser),
            SESSION_RECORD_KEY: token,
            "_fresh": True,
            "_permanent": True,
        }
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        return str(serializer.dumps(data))


def listeners(schema: str, expected: int) -> int:
    """Sessions listening for page version changes in this schema (one per worker), once
    there are `expected` of them or 30 seconds have passed."""
    name = (APPLICATION_NAME + schema)[:63]
    deadline = time.monotonic() + 30
    while True:
        found = db.session.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": name},
        )
        db.session.commit()
        if found >= expected or time.monotonic() > deadline:
            return int(found)
        time.sleep(0.05)


@pytest.fixture
def shared_app(postgres_schema: str, tmp_path: Path) -> Iterator[Flask]:
    """The schema both servers use; not time-frozen, since the servers run on real time."""
    app = create_app(base_config(postgres_url(postgres_schema), tmp_path))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_change_through_one_server_is_seen_through_the_other_at_once(
    shared_app: Flask, postgres_schema: str, tmp_path: Path
) -> None:
    starts = utc_now() + timedelta(days=7)
    event = Factory().event(title="Winter safety talk", capacity=1, starts_at_utc=starts)
    event_page = f"/events/{event.slug}"
    cookie = organiser_cookie(shared_app)
    env = server_environment(postgres_url(postgres_schema))
    visitor, booker, organiser = Browser(), Browser(), Browser()
    organiser.cookies["session"] = cookie

    with gunicorn_servers(2, env, tmp_path) as (one, other):
        # Both servers have the page in their cache...
        for port in (one, other):
            assert "Places available" in visitor.get(port, event_page)
        # ...and know the page version from memory: each is listening for changes.
        assert listeners(postgres_schema, expected=2) == 2

        # The last place is booked through one server...
        fields = {"name": "Sam", "email": "sam@example.com", "consent": "y"}
        assert booker.submit(one, f"{event_page}/register", fields) in (302, 303)
        # ...and the other server's cached page says the event is full.
        assert "Places available" not in visitor.get(other, event_page)
        assert "Full" in visitor.get(other, "/")

        # An organiser cancels through the other server; the first one shows it.
        cancel = f"/organisers/events/{event.id}/cancel"
        assert organiser.submit(other, cancel) in (302, 303)
        assert "This event has been cancelled" in visitor.get(one, event_page)
        assert "Cancelled: Winter safety talk" in visitor.get(one, "/calendar.ics")

        # Signing out through one server ends the copied cookie on the other at once.
        copied = Browser()
        copied.cookies["session"] = cookie
        assert copied.request(other, "GET", "/organisers/events")[0] == 200
        assert organiser.submit(one, "/organisers/sign-out") in (302, 303)
        status, _ = copied.request(other, "GET", "/organisers/events")
        assert status in (302, 303)

        # Rate limits are counted in the shared Redis, not per server.
        limit = 120  # webinar/calendars/routes.py: 120 per minute for the feed
        used = 1
        statuses = [
            visitor.request((one, other)[n % 2], "GET", "/calendar.ics")[0]
            for n in range(limit - used + 1)
        ]
        assert statuses[:-1] == [200] * (limit - used) and statuses[-1] == 429
