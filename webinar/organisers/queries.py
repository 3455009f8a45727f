"""Reading events and attendee lists for organisers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from webinar.extensions import db
from webinar.london_time import LONDON, to_london
from webinar.models import Event, EventStatus, Registration, RegistrationStatus
from webinar.registrations.booking_codes import read_booking_code

_Row = Any  # what a query selects: whole bookings, ids, or counts by status


def page_number(text: str | None) -> int:
    """A page number from the query string; anything odd means the first page.

    ASCII digits only: str.isdigit() accepts '²', which int() then refuses.
    """
    value = (text or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return 1
    return max(int(value), 1)


def count_active_registrations(event: Event) -> int:
    count = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id)
        .where(Registration.status != RegistrationStatus.CANCELLED)
    )
    return int(count or 0)


def count_registrations(event: Event, status: RegistrationStatus) -> int:
    count = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id)
        .where(Registration.status == status)
    )
    return int(count or 0)


def list_all_events() -> list[Event]:
    """Every event, soonest first, drafts included."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_at_utc, Event.id)))


def list_events_on_day(*, now: datetime) -> list[Event]:
    """Published events starting on today's date in the UK."""
    today = to_london(now).date()
    start = datetime.combine(today, datetime.min.time(), tzinfo=LONDON)
    end = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=LONDON)
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.status == EventStatus.PUBLISHED)
            .where(Event.starts_at_utc >= start)
            .where(Event.starts_at_utc < end)
            .order_by(Event.starts_at_utc, Event.id)
        )
    )


@dataclass(frozen=True)
class AttendeeCounts:
    places: int
    booked: int
    waiting: int
    cancelled: int
    attended: int


def attendee_counts(event: Event) -> AttendeeCounts:
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    by_status = {status: int(count) for status, count in rows}
    attended = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id)
        .where(Registration.status == RegistrationStatus.BOOKED)
        .where(Registration.attended_at_utc.is_not(None))
    )
    return AttendeeCounts(
        places=event.capacity,
        booked=by_status.get(RegistrationStatus.BOOKED, 0),
        waiting=by_status.get(RegistrationStatus.WAITING, 0),
        cancelled=by_status.get(RegistrationStatus.CANCELLED, 0),
        attended=int(attended or 0),
    )


class AttendeeFilter(enum.StrEnum):
    ALL = "all"
    BOOKED = "booked"
    WAITING = "waiting"
    REQUESTED = "requested"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


#: The list's order: booked, then the waiting list in queue order, requests, then
#: cancellations; within each, by when they got that status.
STATUS_ORDER = (
    RegistrationStatus.BOOKED,
    RegistrationStatus.WAITING,
    RegistrationStatus.REQUESTED,
    RegistrationStatus.CANCELLED,
)


def _search(query: Select[_Row], search: str) -> Select[_Row]:
    """Names by any part; email addresses only whole, so masked ones cannot be rebuilt."""
    if not search:
        return query
    # Escape LIKE wildcards so a search for "50%" means those characters.
    pattern = f"%{escape_like(search.lower())}%"
    return query.where(
        or_(
            func.lower(Registration.name).like(pattern, escape="\\"),
            # Stored lower-case (registrations.services.normalise_email).
            Registration.email == search.lower(),
        )
    )


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(
    query: Select[_Row], event: Event, *, search: str, status: AttendeeFilter
) -> Select[_Row]:
    """`query` narrowed to the event's bookings that the filter and search show."""
    query = query.where(Registration.event_id == event.id)
    if status == AttendeeFilter.ATTENDED:
        # A booking cancelled after check-in no longer counts as someone who came.
        query = query.where(Registration.attended_at_utc.is_not(None)).where(
            Registration.status == RegistrationStatus.BOOKED
        )
    elif status != AttendeeFilter.ALL:
        query = query.where(Registration.status == RegistrationStatus(status.value))
    return _search(query, search.strip())


#: Names on the check-in page before a search: enough for a small event, and a page a
#: phone at the door can load at once at any size.
CHECK_IN_NAMES = 100


@dataclass(frozen=True)
class CheckInList:
    people: list[Registration]
    #: Everyone booked who matches, of whom `people` are the first by name.
    total: int


def list_for_check_in(event: Event, *, search: str, booked: int) -> CheckInList:
    """People booked, by name; by part of a name or their booking code when searching.

    `booked` is the event's count of bookings, already known when there is no search.
    """
    query = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .where(Registration.status == RegistrationStatus.BOOKED)
    )
    if search.strip():
        by_name = func.lower(Registration.name).like(
            f"%{escape_like(search.strip().lower())}%", escape="\\"
        )
        code = read_booking_code(search)
        query = query.where(or_(by_name, Registration.booking_code == code) if code else by_name)
        counted = query.with_only_columns(func.count(), maintain_column_froms=True)
        booked = int(db.session.scalar(counted) or 0)
    people = db.session.scalars(
        query.order_by(Registration.name, Registration.id).limit(CHECK_IN_NAMES)
    ).all()
    return CheckInList(people=list(people), total=booked)


def mask_email(email: str) -> str:
    """'jane@example.com' as 'j***@e***.com': enough to tell people apart, not to write."""
    local, _, domain = email.partition("@")
    host, dot, suffix = domain.rpartition(".")
    if not dot:
        host, suffix = domain, ""
    return f"{local[:1]}***@{host[:1]}***{dot}{suffix}"
