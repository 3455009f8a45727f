"""Fixtures: an app per test on SQLite (and on PostgreSQL where it matters)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from tests.factories import Factory
from webinar import create_app
from webinar.extensions import db

pytest_plugins = ["tests.smtp_server"]

#: Override with TEST_POSTGRES_URL; the default is this machine's trust-auth server.
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

#: A fixed "now" inside the 2026 campaign: Saturday 28 November 2026, 10am London (GMT).
FROZEN_NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def base_config(database_uri: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Padding has its own test; without it the suite runs quickly.
        "REGISTRATION_MINIMUM_RESPONSE_MS": 0,
        # Races are run with every request in the database at once; the turns that
        # production gives registrations have their own tests (test_registration_turns.py).
        "BOOKING_CONCURRENCY": 0,
        # A thread and a connection per app: tests of the listener turn it on.
        "PAGE_VERSION_LISTEN": False,
        "MAIL_SUPPRESS_SEND": True,
        "MAIL_DEFAULT_SENDER": "events@police.example",
        "OUTBOX_EML_DIR": str(tmp_path / "emails"),
        "SERVER_NAME": "localhost",
        "PUBLIC_SITE_URL": "http://localhost",
    }


@pytest.fixture
def frozen_time() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def app(tmp_path: Path, frozen_time: time_machine.Coordinates) -> Iterator[Flask]:
    app = create_app(base_config(f"sqlite:///{tmp_path / 'test.sqlite'}", tmp_path))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema per test, so parallel runs never share tables."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # pragma: no cover - only when PostgreSQL is missing
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    yield schema
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def postgres_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_app(
    tmp_path: Path, postgres_schema: str, frozen_time: time_machine.Coordinates
) -> Iterator[Flask]:
    app = create_app(base_config(postgres_url(postgres_schema), tmp_path))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest) -> Flask:
    """The same test on SQLite and on PostgreSQL."""
    fixture = "app" if request.param == "sqlite" else "pg_app"
    result: Flask = request.getfixturevalue(fixture)
    return result


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory()
