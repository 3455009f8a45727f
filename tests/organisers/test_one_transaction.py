"""An organiser's action and its audit entry are written together, once, or not at all."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from webinar.extensions import db
from webinar.models import (
    AuditEntry,
    OrganiserRole,
    OutboxMessage,
    Registration,
    RegistrationStatus,
)
from webinar.notifications.kinds import Kind
from webinar.organisers import audit
from webinar.organisers.services import attendees


def _count(model: type, *conditions: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def test_the_same_booking_cancelled_by_four_organisers_at_once_is_cancelled_once(
    pg_app: Flask,
) -> None:
    factory = Factory()
    event = factory.event(capacity=2)
    booking = factory.registration(event, email="ann@example.com")
    clients = [
        sign_in(
            pg_app.test_client(), make_organiser(OrganiserRole.ORGANISER, f"o{n}@police.example")
        )
        for n in range(4)
    ]
    url = f"/organisers/events/{event.id}/attendees/{booking.id}/cancel"
    start = threading.Barrier(len(clients))

    def cancel(client: object) -> int:
        start.wait()
        return int(client.post(url).status_code)  # type: ignore[attr-defined]

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(cancel, clients))

    assert codes == [302] * len(clients)
    db.session.expire_all()
    assert _count(AuditEntry, AuditEntry.action == "booking_cancelled") == 1
    assert _count(OutboxMessage, OutboxMessage.kind == Kind.BOOKING_CANCELLED) == 1
    assert db.session.get(Registration, booking.id).status == RegistrationStatus.CANCELLED  # type: ignore[union-attr]
    db.session.refresh(event)
    assert event.places_taken == 0


def test_when_an_action_fails_half_way_neither_it_nor_its_audit_entry_is_kept(
    pg_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = Factory()
    event = factory.event(capacity=2)
    booking = factory.registration(event, email="ann@example.com")
    client = sign_in(pg_app.test_client(), make_organiser(OrganiserRole.ORGANISER))
    record = audit.record

    def record_then_fail(*args: object, **kwargs: object) -> None:
        record(*args, **kwargs)  # type: ignore[arg-type]
        db.session.flush()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(attendees, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        client.post(f"/organisers/events/{event.id}/attendees/{booking.id}/cancel")

    # What another connection sees: only what was committed.
    with db.engine.connect() as other:
        audited = other.scalar(select(func.count()).select_from(AuditEntry))
        status = other.scalar(select(Registration.status).where(Registration.id == booking.id))
        emailed = other.scalar(
            select(func.count()).where(OutboxMessage.kind == Kind.BOOKING_CANCELLED)
        )
    assert (audited, status, emailed) == (0, RegistrationStatus.BOOKED, 0)
