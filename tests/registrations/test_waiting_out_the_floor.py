"""The timing floor is waited out by the request's thread alone, holding nothing shared.

A registration is padded to a minimum duration (docs/safety.md#response-timing). While
it waits, its booking is already committed and its database connection is back in the
pool, so a burst of registrations cannot use up the connections other pages need.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import VALID_REGISTRATION, Factory
from webinar import security
from webinar.extensions import db
from webinar.models import OutboxMessage, Registration


@pytest.fixture
def waits(any_app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What was true at each moment the floor was being waited out (instead of sleeping).

    The floor is 5 s with its jitter fixed at half its range (5.25 s), and the clock the
    floor reads is recorded, so a wait can be checked against the work it follows.
    """
    any_app.config["REGISTRATION_MINIMUM_RESPONSE_MS"] = 5_000
    seen: list[dict[str, Any]] = []
    clock: list[float] = []
    engine = db.engine

    def read_clock() -> float:
        clock.append(time.perf_counter())
        return clock[-1]

    def look_around(seconds: float) -> None:
        with engine.connect() as elsewhere:  # another thread's view of the database
            bookings = elsewhere.scalar(select(func.count()).select_from(Registration))
            emails = elsewhere.scalar(select(func.count()).select_from(OutboxMessage))
        seen.append(
            {
                "seconds": seconds,
                "work": clock[-1] - clock[0],
                # Checked out by the request, not counting the look-around just closed.
                "connections_held": engine.pool.checkedout(),  # type: ignore[attr-defined]
                "in_transaction": db.session().in_transaction(),
                "committed_bookings": bookings,
                "committed_emails": emails,
            }
        )

    monkeypatch.setattr(
        security, "time", SimpleNamespace(perf_counter=read_clock, sleep=look_around)
    )
    monkeypatch.setattr(security, "random", SimpleNamespace(random=lambda: 0.5))
    return seen


@pytest.mark.parametrize("address", ["new@example.com", "booked@example.com"])
def test_the_floor_is_waited_out_after_the_commit_holding_no_connection(
    any_app: Flask, waits: list[dict[str, Any]], address: str
) -> None:
    event = Factory().event(capacity=10)
    Factory().registration(event, email="booked@example.com")
    emails_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    db.session.close()
    client = any_app.test_client()

    response = client.post(
        f"/events/{event.slug}/register", data={**VALID_REGISTRATION, "email": address}
    )

    assert response.status_code == 302
    assert len(waits) == 1, "a new address and a repeat both wait out the floor"
    wait = waits[0]
    # The wait is what the work left of the floor: together exactly 5.25 s, however long
    # the work took on a busy machine (and the work itself took a fraction of it).
    assert wait["seconds"] + wait["work"] == pytest.approx(5.25, abs=1e-9)
    assert wait["work"] > 0, "the clock was read again after the work"
    assert wait["seconds"] > 0
    assert wait["connections_held"] == 0
    assert wait["in_transaction"] is False
    # Already committed: the booking (or the repeat's "already registered" email) is there.
    assert wait["committed_bookings"] == (2 if address.startswith("new") else 1)
    assert wait["committed_emails"] > emails_before
