"""PostgreSQL ending the app's connections (restart, failover, idle timeout) costs no request.

The app's connections are named (tests.concurrency.conftest) and only those are ended,
with pg_terminate_backend, as a server restart would.
"""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tests.concurrency.conftest import end_connections
from tests.concurrency.invariants import assert_invariants
from tests.concurrency.races import (
    Step,
    at_once,
    cancel_url,
    full_event,
    people,
    post,
    register_form,
)
from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event, Registration, RegistrationStatus


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
    # Fill the pool: five connections held at once (requests at once may not overlap on a
    # loaded machine), then requests using them.
    held = [db.engine.connect() for _ in range(5)]
    for connection in held:
        connection.close()
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


def test_connections_ended_while_people_cancel_change_each_booking_once(
    named_app: Flask,
) -> None:
    """Cancelling twice (a double click) while the database fails over: each once."""
    event = full_event(booked=6, waiting=6)
    event_id = event.id
    urls = [cancel_url(r) for r in people(event_id, RegistrationStatus.BOOKED)]
    ended: list[int] = []
    started = threading.Event()

    def fail_over() -> None:
        started.wait(timeout=10)
        time.sleep(0.02)
        ended.append(end_connections(named_app))

    def first_request(client: FlaskClient) -> int:
        started.set()
        return post(urls[0])(client)

    outage = threading.Thread(target=fail_over)
    outage.start()
    try:
        steps = [Step(first_request), *(Step(post(url)) for url in urls + urls[1:])]
        answers = at_once(named_app, steps)
    finally:
        started.set()
        outage.join()

    assert sum(ended) > 0, "no connection was ended while requests ran"
    assert answers == [302] * len(steps)
    assert_invariants([event_id])
    assert len(people(event_id, RegistrationStatus.BOOKED)) == 6
    assert len(people(event_id, RegistrationStatus.WAITING)) == 0


@pytest.mark.parametrize("sqlstate", ["57P01", "57P02", "08006"])
def test_a_terminating_error_read_before_the_socket_closes_is_a_lost_connection(
    pg_app: Flask, sqlstate: str
) -> None:
    """The server sends "terminating connection" and then closes the socket.

    A request can read the error while the socket still looks open. Raising the same
    SQLSTATE on a healthy connection is that moment, held still.
    """
    with pytest.raises(DBAPIError) as raised:
        db.session.execute(
            text(f"DO $$ BEGIN RAISE EXCEPTION 'ending' USING ERRCODE = '{sqlstate}'; END $$")
        )
    db.session.rollback()

    assert raised.value.connection_invalidated


def test_other_errors_keep_their_connection(pg_app: Flask) -> None:
    with pytest.raises(DBAPIError) as raised:
        db.session.execute(text("SELECT 1 / 0"))
    db.session.rollback()

    assert not raised.value.connection_invalidated
