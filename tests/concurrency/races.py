"""Running requests at the same moment: one thread and one test client per request.

Each thread waits at a barrier, so the requests really overlap; `delay` staggers one
after another (a double click is two POSTs 5–20 ms apart).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event, Registration, RegistrationStatus
from webinar.security import manage_token_for

T = TypeVar("T")

#: How many times each race is run: enough to have caught every race in the issue.
ROUNDS = 3


@dataclass(frozen=True)
class Step:
    """One request: what it does with its own client, after waiting `delay` seconds."""

    run: Callable[[FlaskClient], object]
    delay: float = 0.0


def at_once(app: Flask, steps: Sequence[Step]) -> list[Any]:
    """Run every step in its own thread with its own client, all starting together."""
    # The test's own transaction ends first: on SQLite it would hold the write lock.
    db.session.commit()
    barrier = threading.Barrier(len(steps))

    def go(step: Step) -> object:
        client = app.test_client()
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                if step.delay:
                    time.sleep(step.delay)
                return step.run(client)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(steps)) as pool:
        return list(pool.map(go, steps))


def in_app_context(app: Flask, work: Callable[[], T]) -> Callable[[FlaskClient], T]:
    """A step that calls services directly, as a route or CLI command would."""

    def run(_client: FlaskClient) -> T:
        return work()

    return run


def post(url: str, data: dict[str, str] | None = None) -> Callable[[FlaskClient], int]:
    """A step that POSTs a form and answers the status code the visitor got."""

    def run(client: FlaskClient) -> int:
        return client.post(url, data=data or {}).status_code

    return run


def register_form(email: str) -> dict[str, str]:
    return {"name": "Sam Example", "email": email, "consent": "y"}


def full_event(*, booked: int = 3, waiting: int = 3, capacity: int | None = None) -> Event:
    """An event with `booked` places taken and `waiting` people on the waiting list."""
    factory = Factory()
    event = factory.event(capacity=capacity or max(booked, 1), waiting_list_enabled=True)
    for number in range(booked + waiting):
        factory.registration(event, email=f"person{number}@example.com")
    db.session.refresh(event)
    return event


def people(event_id: int, status: RegistrationStatus) -> list[Registration]:
    """Bookings in queue order (booked, or waiting longest first)."""
    return list(
        db.session.scalars(
            db.select(Registration)
            .filter_by(event_id=event_id, status=status)
            .order_by(Registration.status_changed_at_utc, Registration.id)
        )
    )


def cancel_url(registration: Registration) -> str:
    return f"/booking/{manage_token_for(registration.calendar_uid)}/cancel"


def delete_url(registration: Registration) -> str:
    return f"/booking/{manage_token_for(registration.calendar_uid)}/delete"
