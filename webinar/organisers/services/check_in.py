"""Checking someone in by their booking code, typed or scanned at the door."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from webinar.extensions import db
from webinar.models import Event, Organiser, Registration, RegistrationStatus
from webinar.organisers.audit import AuditAction, record
from webinar.registrations.booking_codes import read_booking_code


class CodeOutcome(enum.StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    NO_PLACE = "no_place"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class CodeCheckIn:
    """What the door sees: a name and what happened, never an email address."""

    outcome: CodeOutcome
    name: str = ""
    checked_in_at_utc: datetime | None = None


def check_in_by_code(
    *, event: Event, code: str, organiser: Organiser, now: datetime
) -> CodeCheckIn:
    """Check the code's booking in, once: two phones scanning together check in one time."""
    booking_code = read_booking_code(code)
    registration = None
    if booking_code is not None:
        registration = db.session.scalar(
            select(Registration)
            .where(Registration.event_id == event.id)
            .where(Registration.booking_code == booking_code)
        )
    if registration is None:
        return CodeCheckIn(CodeOutcome.NOT_FOUND)
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id)
        .where(Registration.status == RegistrationStatus.BOOKED)
        .where(Registration.attended_at_utc.is_(None))
        .values(attended_at_utc=now)
    )
    if getattr(changed, "rowcount", 0) == 1:
        record(
            AuditAction.ATTENDANCE_MARKED,
            organiser=organiser,
            event=event,
            record_count=1,
            detail=f"Registration {registration.id}: checked in by booking code",
        )
        return CodeCheckIn(CodeOutcome.CHECKED_IN, registration.name, now)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.BOOKED:
        return CodeCheckIn(CodeOutcome.NO_PLACE, registration.name)
    return CodeCheckIn(
        CodeOutcome.ALREADY_CHECKED_IN, registration.name, registration.attended_at_utc
    )
