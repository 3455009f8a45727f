"""Places on an event: taking one, giving one back, and the waiting list moving up.

Every change here serialises on the event's row: the conditional UPDATEs below lock it
(PostgreSQL) or run inside SQLite's single writer. A place is taken or released only when
a statement really changed a row (docs/architecture.md#changes-of-state).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Executable, Update, bindparam, func, or_, select, update

from webinar.extensions import db
from webinar.models import Event, EventStatus, Registration, RegistrationStatus
from webinar.models.types import UTCDateTime
from webinar.notifications import emails
from webinar.page_version import places_changed
from webinar.registrations.transitions import change_status


class NoPlaceLeft(Exception):
    """Every place is taken (and, for the public, there is no waiting list)."""


def lock_event(event_id: int) -> Event | None:
    """Lock the event's row (PostgreSQL) and read it as it is now; None if it is gone.

    Every change to an event's places or bookings locks the event's row before any
    booking's row, so two changes queue up in one order and never deadlock. SQLite has
    one writer at a time already (webinar.database).
    """
    event: Event | None = db.session.scalar(
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return event


def take_place(event_id: int, *, open_at: datetime | None = None) -> bool:
    """Take one place if the event is published and any place is left.

    One conditional UPDATE: it holds under concurrency, where count-then-insert overbooks,
    and an event cancelled or unpublished a moment ago gives no place. With `open_at`
    (the public registering), registration must also be open then, in the same statement.
    """
    statement, values = _choose(_TAKE_PLACE, _TAKE_PLACE_WHILE_OPEN, event_id, open_at)
    counts = db.session.execute(statement, values).first()
    if counts is None:
        return False
    if counts.places_taken >= counts.capacity - 1:
        # Only then can a public page change (docs/architecture.md#public-page-cache):
        # most bookings leave the page version, and its one row, alone.
        places_changed(event_id)
    return True


def lock_published_event(event_id: int, *, open_at: datetime | None = None) -> bool:
    """Lock the event's row as taking a place would; False when it is not published.

    Joining the waiting list and repeat registrations take the same lock as a booking:
    nobody joins an event being cancelled, and a repeat takes as long as a booking
    (docs/safety.md#response-timing). `open_at` as for take_place.
    """
    statement, values = _choose(_LOCK, _LOCK_WHILE_OPEN, event_id, open_at)
    result = db.session.execute(statement, values)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _published(open_at: ColumnElement[datetime] | None) -> list[ColumnElement[bool]]:
    """Published, and with `open_at`, taking registrations then (as events.queries says).

    Checked in the statement that takes the place: an organiser closing registration or
    moving the event a moment ago is seen, whatever the page read before.
    """
    conditions = [Event.status == EventStatus.PUBLISHED]
    if open_at is not None:
        closes = func.coalesce(Event.registration_closes_at_utc, Event.starts_at_utc)
        conditions += [
            or_(
                Event.registration_opens_at_utc.is_(None),
                Event.registration_opens_at_utc <= open_at,
            ),
            closes > open_at,
            Event.starts_at_utc > open_at,
        ]
    return conditions


def _update_published(open_at: ColumnElement[datetime] | None) -> Update:
    return update(Event).where(Event.id == bindparam("event_id")).where(*_published(open_at))


def _take_place_statement(open_at: ColumnElement[datetime] | None) -> Executable:
    return (
        _update_published(open_at)
        .where(Event.places_taken < Event.capacity)
        .values(places_taken=Event.places_taken + 1)
        .returning(Event.places_taken, Event.capacity)
        .execution_options(synchronize_session="fetch")
    )


def _lock_statement(open_at: ColumnElement[datetime] | None) -> Executable:
    return (
        _update_published(open_at)
        .values(places_taken=Event.places_taken)
        .execution_options(synchronize_session=False)
    )


# Built once, with bound parameters: every registration runs one of them, and building
# these UPDATEs and their cache keys anew was a measurable share of a registration's CPU
# (docs/benchmarks.md#statements-built-once).
_OPEN_AT: ColumnElement[datetime] = bindparam("open_at", type_=UTCDateTime())
_TAKE_PLACE = _take_place_statement(None)
_TAKE_PLACE_WHILE_OPEN = _take_place_statement(_OPEN_AT)
_LOCK = _lock_statement(None)
_LOCK_WHILE_OPEN = _lock_statement(_OPEN_AT)


def _choose(
    always: Executable, while_open: Executable, event_id: int, open_at: datetime | None
) -> tuple[Executable, dict[str, Any]]:
    # Only the parameters the statement has: an UPDATE reads any other key that names a
    # column (`capacity`, say) as a value to SET.
    if open_at is None:
        return always, {"event_id": event_id}
    return while_open, {"event_id": event_id, "open_at": open_at}


def release_place(*, event_id: int, now: datetime) -> None:
    """A booked place is free again: it goes to the first person waiting, if anyone is."""
    db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .where(Event.places_taken > 0)
        .values(places_taken=Event.places_taken - 1)
        .execution_options(synchronize_session="fetch")
    )
    places_changed(event_id)
    promote_from_waiting_list(event_id=event_id, now=now)


def promote_from_waiting_list(*, event_id: int, now: datetime) -> list[Registration]:
    """Offer free places to the people waiting longest, in the caller's transaction."""
    promoted: list[Registration] = []
    while True:
        event = db.session.get(Event, event_id, populate_existing=True)
        if event is None or event.status != EventStatus.PUBLISHED or event.starts_at_utc <= now:
            return promoted
        # SKIP LOCKED: someone leaving the list right now is passed over, not waited for.
        waiting = db.session.scalar(
            select(Registration)
            .where(Registration.event_id == event_id)
            .where(Registration.status == RegistrationStatus.WAITING)
            .order_by(Registration.status_changed_at_utc, Registration.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if waiting is None or not offer_place(waiting, now=now):
            return promoted
        promoted.append(waiting)


def offer_place(registration: Registration, *, now: datetime) -> bool:
    """Move someone from the waiting list into a free place; False if none is left.

    Raises NotWaiting (from change_status) when they are no longer waiting.
    """
    with db.session.begin_nested():
        if not take_place(registration.event_id):
            return False
        change_status(
            registration, expected=RegistrationStatus.WAITING, to=RegistrationStatus.BOOKED, now=now
        )
    emails.place_offered_to_attendee(registration)
    return True
