"""Each process lets a few registrations at a time do their database work; the rest wait.

A registration waits for its turn before its first query, so waiting holds no connection
and no transaction; it gives the turn back as soon as it has committed, before the
response-timing padding; and a GET never waits. docs/architecture.md#a-few-registrations-at-a-time
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy.event
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import VALID_REGISTRATION, Factory
from webinar import security
from webinar.config import default_settings
from webinar.extensions import db
from webinar.models import EventStatus, Registration
from webinar.registrations import gate
from webinar.registrations.places import NoPlaceLeft
from webinar.registrations.routes import register as register_route


class WatchedGate(threading.BoundedSemaphore):
    """The gate, noting what the asking request held at the moment it asked for a turn."""

    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.asked: list[dict[str, Any]] = []
        self.asking = threading.Event()

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        if threading.current_thread() is not threading.main_thread():
            self.asked.append(
                {
                    "connections_held": db.engine.pool.checkedout(),  # type: ignore[attr-defined]
                    "in_transaction": db.session().in_transaction(),
                }
            )
            self.asking.set()
        return super().acquire(blocking, timeout)

    def free(self) -> bool:
        """Whether a turn is free now (taken and given straight back)."""
        if super().acquire(blocking=False):
            self.release()
            return True
        return False


@pytest.fixture
def one_turn(any_app: Flask) -> Iterator[WatchedGate]:
    """A process with one turn, watched; given back at the end if a failed test kept it."""
    watched = WatchedGate(1)
    any_app.extensions["booking_gate"] = watched
    yield watched
    if not watched.free():
        watched.release()


def bookings() -> int:
    with db.engine.connect() as elsewhere:
        return int(elsewhere.scalar(select(func.count()).select_from(Registration)) or 0)


def post_in_thread(app: Flask, slug: str, results: list[int], **changes: str) -> threading.Thread:
    """A visitor's POST in a thread of its own, as a gunicorn thread runs it."""
    url = f"/events/{slug}/register"
    data = {**VALID_REGISTRATION, **changes}

    def run() -> None:
        results.append(app.test_client().post(url, data=data).status_code)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_registration_waits_for_its_turn_holding_no_connection(
    any_app: Flask, one_turn: WatchedGate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gate, "PATIENCE_SECONDS", 60)  # longer than any wait below
    slug = Factory().event(capacity=10).slug
    db.session.close()
    assert one_turn.acquire()  # another registration has the only turn
    results: list[int] = []

    thread = post_in_thread(any_app, slug, results)
    assert one_turn.asking.wait(30)
    thread.join(0.5)

    assert thread.is_alive(), "it waits while the turn is taken"
    assert bookings() == 0
    assert one_turn.asked == [{"connections_held": 0, "in_transaction": False}]
    one_turn.release()
    thread.join(30)
    assert results == [302]
    assert bookings() == 1
    assert one_turn.free()


def test_after_waiting_its_patience_a_registration_goes_ahead(
    any_app: Flask,
    one_turn: WatchedGate,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(gate, "PATIENCE_SECONDS", 0.05)
    slug = Factory().event(capacity=10).slug
    db.session.close()
    assert one_turn.acquire()  # held, and never given back during the request
    results: list[int] = []

    with caplog.at_level(logging.WARNING, logger="webinar.registrations.gate"):
        post_in_thread(any_app, slug, results).join(30)

    assert results == [302]
    assert bookings() == 1
    assert "went ahead without a turn" in caplog.text
    # It gave back nothing it did not take: the turn is still the one held above.
    assert not one_turn.free()
    one_turn.release()


def test_the_form_is_shown_without_asking_for_a_turn(any_app: Flask, one_turn: WatchedGate) -> None:
    slug = Factory().event(capacity=10).slug
    db.session.close()
    assert one_turn.acquire()
    pages: list[int] = []

    def show() -> None:
        pages.append(any_app.test_client().get(f"/events/{slug}/register").status_code)

    thread = threading.Thread(target=show)
    thread.start()
    thread.join(30)

    assert pages == [200]
    assert one_turn.asked == []
    one_turn.release()


@pytest.mark.parametrize(
    "answer",
    [
        "booked",
        "already registered",
        "form with errors",
        "closed before it was sent",
        "full while it was open",
    ],
)
def test_the_turn_is_held_to_the_commit_and_given_back_before_the_padding(
    any_app: Flask, one_turn: WatchedGate, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    any_app.config["REGISTRATION_MINIMUM_RESPONSE_MS"] = 1_000
    free_while_committing: list[bool] = []
    free_while_padding: list[bool] = []

    def committing(session: Session) -> None:
        if threading.current_thread() is not threading.main_thread():
            free_while_committing.append(one_turn.free())

    def pad(seconds: float) -> None:
        free_while_padding.append(one_turn.free())

    monkeypatch.setattr(
        security, "time", SimpleNamespace(perf_counter=time.perf_counter, sleep=pad)
    )
    event = Factory().event(capacity=2, waiting_list_enabled=False)
    Factory().registration(event, email="booked@example.com")
    email = {"already registered": "booked@example.com", "form with errors": "not an address"}
    if answer == "closed before it was sent":
        event.status = EventStatus.CANCELLED
    elif answer == "full while it was open":
        # Open when the request looked, full by the time it booked: the route's except.
        def full(**_: Any) -> None:
            raise NoPlaceLeft

        monkeypatch.setattr(register_route, "register_for_event", full)
    db.session.commit()
    slug = event.slug
    db.session.close()
    results: list[int] = []

    sqlalchemy.event.listen(Session, "before_commit", committing)
    try:
        post_in_thread(any_app, slug, results, email=email.get(answer, "new@example.com")).join(30)
    finally:
        sqlalchemy.event.remove(Session, "before_commit", committing)

    assert results == [200 if answer == "form with errors" else 302]
    assert len(one_turn.asked) == 1, "every POST asks for a turn"
    committed = answer in ("booked", "already registered")
    # (A booking commits its savepoint too, so more than once.)
    assert set(free_while_committing) == ({False} if committed else set()), "held to the commit"
    assert free_while_padding == ([True] if committed else []), "then given back"
    assert one_turn.free(), "and given back whatever the answer"


def test_the_number_of_turns_is_configured_and_0_means_no_gate(any_app: Flask) -> None:
    any_app.config["BOOKING_CONCURRENCY"] = 2
    gate.register(any_app)
    two = any_app.extensions["booking_gate"]
    assert [two.acquire(blocking=False) for _ in range(3)] == [True, True, False]

    any_app.config["BOOKING_CONCURRENCY"] = 0
    gate.register(any_app)
    slug = Factory().event(capacity=10).slug
    db.session.close()
    response = any_app.test_client().post(f"/events/{slug}/register", data=VALID_REGISTRATION)

    assert any_app.extensions["booking_gate"] is None
    assert response.status_code == 302
    assert bookings() == 1


def test_a_process_has_two_turns_unless_configured() -> None:
    assert default_settings("/tmp")["BOOKING_CONCURRENCY"] == 2  # noqa: S108 - never written
