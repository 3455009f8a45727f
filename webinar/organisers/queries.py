"""Reading events and attendee lists for organisers."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, case, func, or_, select

from webinar.extensions import db
from webinar.london_time import LONDON, to_london
from webinar.models import Event, EventStatus, Registration, RegistrationStatus

PAGE_SIZE = 50


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


@dataclass(frozen=True)
class AttendeePage:
    registrations: list[Registration]
    page: int
    pages: int
    total: int


def _search(query: Select[tuple[Registration]], search: str) -> Select[tuple[Registration]]:
    """Names by any part; email addresses only whole, so masked ones cannot be rebuilt."""
    if not search:
        return query
    # Escape LIKE wildcards so a search for "50%" means those characters.
    pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern += "%"
    return query.where(
        or_(
            func.lower(Registration.name).like(pattern, escape="\\"),
            # Stored lower-case (registrations.services.normalise_email).
            Registration.email == search.lower(),
        )
    )


def attendee_query(
    event: Event, *, search: str = "", status: AttendeeFilter = AttendeeFilter.ALL
) -> Select[tuple[Registration]]:
    query = select(Registration).where(Registration.event_id == event.id)
    if status == AttendeeFilter.ATTENDED:
        # A booking cancelled after check-in no longer counts as someone who came.
        query = query.where(Registration.attended_at_utc.is_not(None)).where(
            Registration.status == RegistrationStatus.BOOKED
        )
    elif status != AttendeeFilter.ALL:
        query = query.where(Registration.status == RegistrationStatus(status.value))
    # Booked, then the waiting list in queue order, requests, then cancellations.
    group = case(
        (Registration.status == RegistrationStatus.BOOKED, 0),
        (Registration.status == RegistrationStatus.WAITING, 1),
        (Registration.status == RegistrationStatus.REQUESTED, 2),
        else_=3,
    )
    return _search(query, search.strip()).order_by(
        group, Registration.status_changed_at_utc, Registration.id
    )


def list_attendees(event: Event, *, search: str, status: AttendeeFilter, page: int) -> AttendeePage:
    query = attendee_query(event, search=search, status=status)
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    page = min(max(page, 1), pages)
    registrations = list(db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return AttendeePage(registrations=registrations, page=page, pages=pages, total=total)


def mask_email(email: str) -> str:
    """'jane@example.com' as 'j***@e***.com': enough to tell people apart, not to write."""
    local, _, domain = email.partition("@")
    host, dot, suffix = domain.rpartition(".")
    if not dot:
        host, suffix = domain, ""
    return f"{local[:1]}***@{host[:1]}***{dot}{suffix}"
