"""Reading events and attendee lists for organisers."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select, tuple_

from webinar.extensions import db
from webinar.london_time import LONDON, to_london
from webinar.models import Event, EventStatus, Registration, RegistrationStatus
from webinar.organisers.attendee_cursors import Cursor, cursor_of, write_cursor
from webinar.registrations.booking_codes import read_booking_code

PAGE_SIZE = 50
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


@dataclass(frozen=True)
class AttendeePage:
    registrations: list[Registration]
    page: int
    pages: int
    total: int
    #: Cursors for the Previous and Next links: this page's first row and its last.
    previous: str | None = None
    next: str | None = None


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


def _filtered(
    query: Select[_Row], event: Event, *, search: str, status: AttendeeFilter
) -> Select[_Row]:
    query = query.where(Registration.event_id == event.id)
    if status == AttendeeFilter.ATTENDED:
        # A booking cancelled after check-in no longer counts as someone who came.
        query = query.where(Registration.attended_at_utc.is_not(None)).where(
            Registration.status == RegistrationStatus.BOOKED
        )
    elif status != AttendeeFilter.ALL:
        query = query.where(Registration.status == RegistrationStatus(status.value))
    return _search(query, search.strip())


def list_attendees(
    event: Event,
    *,
    search: str,
    status: AttendeeFilter,
    page: int,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> AttendeePage:
    """One page of the list, read status by status, without sorting the whole event.

    `after` is the last row of the page before (the Next link), `before` the first row
    of the page after (Previous): the page is then read from the index next to that row
    instead of counting `page` pages in. A cursor that cannot be that row is ignored.
    """
    # Counted by status with no ORDER BY, then each status read along its index
    # (docs/architecture.md#one-event-with-100000-bookings).
    counted = _filtered(
        select(Registration.status, func.count()), event, search=search, status=status
    ).group_by(Registration.status)
    sizes: dict[RegistrationStatus, int] = {
        value: int(count) for value, count in db.session.execute(counted)
    }
    total = sum(sizes.values())
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    page = min(max(page, 1), pages)

    def group(value: RegistrationStatus) -> Select[tuple[int]]:
        query = _filtered(select(Registration.id), event, search=search, status=status)
        return query.where(Registration.status == value)

    ids = None  # both cursors at once is a link we never make: neither is used
    if after is not None and before is None:
        ids = _ids_next_to(after, group, sizes, page=page, forwards=True)
    elif before is not None and after is None:
        ids = _ids_next_to(before, group, sizes, page=page, forwards=False)
    if ids is None:
        ids = _ids_of_page(group, sizes, page=page)
    by_id = {
        row.id: row
        for row in db.session.scalars(select(Registration).where(Registration.id.in_(ids)))
    }
    registrations = [by_id[number] for number in ids if number in by_id]
    first, last = (registrations[0], registrations[-1]) if registrations else (None, None)
    return AttendeePage(
        registrations=registrations,
        page=page,
        pages=pages,
        total=total,
        previous=write_cursor(cursor_of(first)) if first and page > 1 else None,
        next=write_cursor(cursor_of(last)) if last and page < pages else None,
    )


_Group = Callable[[RegistrationStatus], Select[tuple[int]]]


def _ids_of_page(group: _Group, sizes: dict[RegistrationStatus, int], *, page: int) -> list[int]:
    """Page `page` counted from the start: OFFSET within each status."""
    ids: list[int] = []
    skip = (page - 1) * PAGE_SIZE
    for value in STATUS_ORDER:
        size = sizes.get(value, 0)
        if skip >= size or len(ids) == PAGE_SIZE:
            skip = max(skip - size, 0)
            continue
        take = min(PAGE_SIZE - len(ids), size - skip)
        ids += _ids_in_order(group(value), size, skip, take)
        skip = 0
    return ids


def _ids_in_order(group: Select[tuple[int]], size: int, skip: int, take: int) -> list[int]:
    """Ids `skip` to `skip + take` of one status, in order, walking the index from the
    nearer end: the last page costs what the first does."""
    if skip <= size - skip - take:
        query = group.order_by(Registration.status_changed_at_utc, Registration.id).offset(skip)
        return list(db.session.scalars(query.limit(take)))
    backwards = group.order_by(
        Registration.status_changed_at_utc.desc(), Registration.id.desc()
    ).offset(size - skip - take)
    return list(reversed(db.session.scalars(backwards.limit(take)).all()))


def _ids_next_to(
    cursor: Cursor,
    group: _Group,
    sizes: dict[RegistrationStatus, int],
    *,
    page: int,
    forwards: bool,
) -> list[int] | None:
    """Page `page` read from the index just after the cursor's row (or just before it),
    on into the next statuses (or back into the ones before) until the page is full.

    None when the cursor cannot be the row beside that page: tampered with, from another
    search or filter, or out of date. Only what is cheap is checked (the row is there as
    the cursor says and in this list, its status holds the row's place in the list, and
    the page comes out its right length); a cursor that passes still gives rows in the
    list's order, just perhaps not page `page`'s if the list has changed since.
    """
    if cursor.status not in STATUS_ORDER:
        return None
    # The row itself, by its primary key: still there, with that status and time, and
    # in this search and filter. A stale, edited or borrowed cursor mostly fails here.
    row = group(cursor.status).where(
        Registration.id == cursor.id, Registration.status_changed_at_utc == cursor.changed_at
    )
    if db.session.scalar(row) is None:
        return None
    total = sum(sizes.values())
    # The cursor's place in the list, counting from 1: the last row of the page before,
    # or the first row of the page after.
    place = (page - 1) * PAGE_SIZE if forwards else page * PAGE_SIZE + 1
    index = STATUS_ORDER.index(cursor.status)
    start = sum(sizes.get(value, 0) for value in STATUS_ORDER[:index])
    if not start < place <= start + sizes.get(cursor.status, 0):
        return None
    length = min(PAGE_SIZE, total - (page - 1) * PAGE_SIZE)
    ids: list[int] = []
    for value in STATUS_ORDER[index:] if forwards else STATUS_ORDER[index::-1]:
        if len(ids) == length:
            break
        if sizes.get(value, 0):
            beside = cursor if value == cursor.status else None
            ids += _ids_beside(group(value), beside, forwards=forwards, take=length - len(ids))
    if not forwards:
        ids.reverse()
    return ids if len(ids) == length else None


def _ids_beside(
    group: Select[tuple[int]], cursor: Cursor | None, *, forwards: bool, take: int
) -> list[int]:
    """The first `take` ids of one status after the cursor (the last before it, nearest
    first): a seek along the index to (status_changed_at_utc, id), then `take` entries."""
    key = tuple_(Registration.status_changed_at_utc, Registration.id)
    if cursor is not None:
        mark = (cursor.changed_at, cursor.id)
        group = group.where(key > mark if forwards else key < mark)
    if forwards:
        ordered = group.order_by(Registration.status_changed_at_utc, Registration.id)
    else:
        ordered = group.order_by(Registration.status_changed_at_utc.desc(), Registration.id.desc())
    return list(db.session.scalars(ordered.limit(take)))


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
