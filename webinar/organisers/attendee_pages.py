"""One page of an event's attendee list, by its number or beside a row named by a cursor
(docs/architecture.md#one-event-with-100000-bookings)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, func, select, tuple_

from webinar.extensions import db
from webinar.models import Event, Registration, RegistrationStatus
from webinar.organisers.attendee_cursors import Cursor, cursor_of, write_cursor
from webinar.organisers.queries import STATUS_ORDER, AttendeeFilter, filtered

PAGE_SIZE = 50


@dataclass(frozen=True)
class AttendeePage:
    registrations: list[Registration]
    page: int
    pages: int
    total: int
    #: Cursors for the Previous and Next links: this page's first row and its last.
    previous: str | None = None
    next: str | None = None


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
    counted = filtered(
        select(Registration.status, func.count()), event, search=search, status=status
    ).group_by(Registration.status)
    sizes: dict[RegistrationStatus, int] = {
        value: int(count) for value, count in db.session.execute(counted)
    }
    total = sum(sizes.values())
    pages = max(math.ceil(total / PAGE_SIZE), 1)
    page = min(max(page, 1), pages)

    def group(value: RegistrationStatus) -> Select[tuple[int]]:
        query = filtered(select(Registration.id), event, search=search, status=status)
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
    total = sum(sizes.values())
    # The cursor's place in the list, counting from 1: the last row of the page before,
    # or the first row of the page after.
    place = (page - 1) * PAGE_SIZE if forwards else page * PAGE_SIZE + 1
    index = STATUS_ORDER.index(cursor.status)
    start = sum(sizes.get(value, 0) for value in STATUS_ORDER[:index])
    if not start < place <= start + sizes.get(cursor.status, 0):
        return None
    # The row itself, by its primary key: still there, with that status and time, and
    # in this search and filter. A stale, edited or borrowed cursor mostly fails here.
    row = group(cursor.status).where(
        Registration.id == cursor.id, Registration.status_changed_at_utc == cursor.changed_at
    )
    if db.session.scalar(row) is None:
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
