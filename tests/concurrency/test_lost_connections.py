"""PostgreSQL ending the app's connections (restart, failover, idle timeout) costs no request.

The test names its connections with application_name and ends only those, with
pg_terminate_backend, as a server restart would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text

from tests.concurrency.races import Step, at_once, post, register_form
from tests.conftest import POSTGRES_URL, base_config, postgres_url
from tests.factories import Factory
from webinar import create_app
from webinar.extensions import db
from webinar.models import Event, Registration


@pytest.fixture
def named_app(
    tmp_path: Path, postgres_schema: str, frozen_time: time_machine.Coordinates
) -> Iterator[Flask]:
    """The app on PostgreSQL with the default engine options; its connections are named."""
    url = f"{postgres_url(postgres_schema)}&application_name={postgres_schema}"
    app = create_app(base_config(url, tmp_path))
    app.config["CONNECTION_NAME"] = postgres_schema
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def end_connections(app: Flask) -> int:
    """End every connection of this app's, from outside, as a restarting server does."""
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": app.config["CONNECTION_NAME"]},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)


def registrations(event_id: int) -> int:
    db.session.rollback()
    count = db.session.scalar(
        select(func.count()).select_from(Registration).filter_by(event_id=event_id)
    )
    return int(count or 0)


def register_steps(event: Event, emails: range, *, prefix: str) -> list[Step]:
    url = f"/events/{event.slug}/register"
    return [Step(post(url, register_form(f"{prefix}{n}@example.com"))) for n in emails]


def test_connections_ended_between_requests_cost_no_request(named_app: Flask) -> None:
    event = Factory().event(capacity=50)
    # Fill the pool: several requests at once each hold a connection.
    assert at_once(named_app, register_steps(event, range(5), prefix="before")) == [302] * 5

    assert end_connections(named_app) >= 5

    assert at_once(named_app, register_steps(event, range(5), prefix="after")) == [302] * 5
    assert registrations(event.id) == 10


def test_connections_ended_under_load_lose_no_registration(
    named_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """A restart and then a failover while thirty people register: nobody is turned away."""
    event = Factory().event(capacity=20, waiting_list_enabled=True)
    url = f"/events/{event.slug}/register"
    ended: list[int] = []
    started = threading.Event()

    def restart_then_fail_over() -> None:
        started.wait(timeout=10)
        for _ in range(2):
            time.sleep(0.05)
            ended.append(end_connections(named_app))

    def first_request(client: FlaskClient) -> int:
        started.set()
        return post(url, register_form("load@example.com"))(client)

    outage = threading.Thread(target=restart_then_fail_over)
    outage.start()
    try:
        steps = [Step(first_request), *register_steps(event, range(29), prefix="load")]
        answers = at_once(named_app, steps)
    finally:
        started.set()
        outage.join()

    assert sum(ended) > 0, "no connection was ended while requests ran"
    assert "running the request again" in caplog.text, "no request lost its connection"
    assert answers == [302] * 30
    assert registrations(event.id) == 30
