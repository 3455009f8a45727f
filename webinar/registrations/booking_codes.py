"""Booking codes: 8 characters to read aloud at the door, type, or scan as a QR code.

No 0/O or 1/I, so nobody has to ask which one it is. 32 characters to the power of 8 is
about a million million codes, so guessing one for an event is hopeless; codes are unique
per event (the database's unique index). A booking draws one and lets the index say
whether it is taken (one statement fewer per booking, docs/benchmarks.md#registrations);
organisers' tools and the demo data ask first.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webinar.extensions import db
from webinar.models import Registration

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8


def draw_booking_code() -> str:
    """A random code, not yet checked against the event's others."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


#: The unique index on (event, booking code) (webinar/models/registrations.py).
CODE_INDEX = "uq_registration_event_booking_code"


def is_booking_code_clash(error: IntegrityError) -> bool:
    """Whether the unique index on (event, booking code) refused the row, not another one.

    By the index's name on PostgreSQL, not the message: its DETAIL quotes the row's values,
    and an address may contain "booking_code". SQLite's message names only the columns.
    """
    diagnostics = getattr(error.orig, "diag", None)
    if diagnostics is not None:
        return bool(diagnostics.constraint_name == CODE_INDEX)
    return "registration.event_id, registration.booking_code" in str(error.orig)


def new_booking_code(event_id: int) -> str:
    """A random code no other booking for this event has."""
    while True:
        code = draw_booking_code()
        taken = db.session.scalar(
            select(Registration.id)
            .where(Registration.event_id == event_id)
            .where(Registration.booking_code == code)
        )
        if taken is None:
            return code


def read_booking_code(text: str) -> str | None:
    """The code someone typed or scanned (any case, spaces or a dash), or None."""
    code = "".join(character for character in text.upper() if character.isalnum())
    if len(code) == LENGTH and all(character in ALPHABET for character in code):
        return code
    return None


def spaced(code: str) -> str:
    """Two groups of four, easier to read aloud: 'ABCD EFGH'."""
    return f"{code[:4]} {code[4:]}"
