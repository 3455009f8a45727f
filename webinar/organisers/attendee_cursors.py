"""Where a page of the attendee list starts or ends, carried in its Next and Previous links.

A cursor names one row of the list by what orders it: its status, when it got that
status, and its id (docs/architecture.md#one-event-with-100000-bookings). It is not
signed: only signed-in organisers see it and it holds nothing they cannot see, and no
name or email address. It comes back from the browser, so reading one trusts nothing:
anything that is not exactly what `write_cursor` makes reads as no cursor at all.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from webinar.models import Registration, RegistrationStatus

#: Longer than any cursor `write_cursor` makes; anything longer is not read.
_MOST_CHARACTERS = 200
#: Ids are positive and fit PostgreSQL's bigint.
_LARGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class Cursor:
    status: RegistrationStatus
    changed_at: datetime  # aware, UTC
    id: int


def cursor_of(registration: Registration) -> Cursor:
    return Cursor(registration.status, registration.status_changed_at_utc, registration.id)


def write_cursor(cursor: Cursor) -> str:
    """'booked|2026-11-28T10:00:00.123456+00:00|42', base64url without padding."""
    plain = f"{cursor.status.value}|{cursor.changed_at.astimezone(UTC).isoformat()}|{cursor.id}"
    return base64.urlsafe_b64encode(plain.encode()).decode().rstrip("=")


def read_cursor(text: str | None) -> Cursor | None:
    """The cursor in `text`, or None for anything else: garbage, a status the list does
    not have, a time without a zone, an id that is not a plain positive number."""
    if not text or len(text) > _MOST_CHARACTERS or not text.isascii():
        return None
    try:
        plain = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (binascii.Error, ValueError):  # not base64, or not UTF-8
        return None
    parts = plain.split("|")
    if len(parts) != 3:
        return None
    status, changed_at, number = parts
    if status not in {value.value for value in RegistrationStatus}:
        return None
    if not number.isascii() or not number.isdigit() or not 0 < int(number) <= _LARGEST_ID:
        return None
    try:
        instant = datetime.fromisoformat(changed_at)
        if instant.tzinfo is None:
            return None
        instant = instant.astimezone(UTC)
    except (ValueError, OverflowError):  # not a time, or out of range once in UTC
        return None
    return Cursor(RegistrationStatus(status), instant, int(number))
