"""The one way a booking's status changes: a conditional UPDATE on what we expect it to be.

`UPDATE registration SET status = :to WHERE id = :id AND status = :expected` changes a
row only if nobody changed it first; the caller moves places and sends emails only when
it did (docs/architecture.md#changes-of-state).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from webinar.extensions import db
from webinar.models import Registration, RegistrationStatus


class StatusChanged(Exception):
    """The booking was no longer in the status the change expected: someone was first."""


def lock_registration(registration: Registration) -> RegistrationStatus | None:
    """Lock the booking's row and read its status as it is now; None if it is gone.

    PostgreSQL: SELECT ... FOR UPDATE, so two changes of one booking queue up. SQLite
    has one writer at a time already (webinar.database).
    """
    # populate_existing: the caller's copy may be stale (another request raised its
    # SEQUENCE or changed its status while this one waited for the lock).
    current = db.session.scalar(
        select(Registration)
        .where(Registration.id == registration.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return None if current is None else current.status


def change_status(
    registration: Registration,
    *,
    expected: RegistrationStatus,
    to: RegistrationStatus,
    now: datetime,
    raise_sequence: bool = False,
    **values: Any,
) -> None:
    """Move the booking from `expected` to `to`, or raise StatusChanged."""
    if raise_sequence:
        values["calendar_sequence"] = Registration.calendar_sequence + 1
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id)
        .where(Registration.status == expected)
        .values(status=to, status_changed_at_utc=now, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StatusChanged
    db.session.refresh(registration)


def raise_calendar_sequence(registration: Registration) -> None:
    """The booking's calendar entry changes: its SEQUENCE goes up by an SQL increment, so
    two changes at once give two numbers, and the copy is refreshed
    (docs/calendar.md#one-entry-per-booking)."""
    db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id)
        .values(calendar_sequence=Registration.calendar_sequence + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.refresh(registration, ["calendar_sequence"])
