"""When a personal joining link opens the meeting, and recording its first use."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import update

from webinar.extensions import db
from webinar.models import Event, EventStatus, Registration, RegistrationStatus


class JoinState(enum.Enum):
    #: Unknown, cancelled, deleted, ended or no meeting: one page that reveals nothing.
    NOT_AVAILABLE = enum.auto()
    #: Booked, but the window has not opened yet.
    NOT_YET = enum.auto()
    OPEN = enum.auto()


def opens_at(event: Event) -> datetime:
    return event.starts_at_utc - timedelta(minutes=event.join_opens_minutes_before)


def join_state(registration: Registration | None, *, now: datetime) -> JoinState:
    if registration is None:
        return JoinState.NOT_AVAILABLE
    event = registration.event
    if (
        registration.status != RegistrationStatus.BOOKED
        or event.status != EventStatus.PUBLISHED
        or not event.format.is_online
        or not event.joining_link
        or now >= event.ends_at_utc
    ):
        return JoinState.NOT_AVAILABLE
    if now < opens_at(event):
        return JoinState.NOT_YET
    return JoinState.OPEN


def record_first_use(registration: Registration, *, now: datetime) -> bool:
    """Set the first-use time once: a conditional UPDATE, so two tabs cannot both win."""
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id)
        .where(Registration.join_first_used_at_utc.is_(None))
        .values(join_first_used_at_utc=now)
        .execution_options(synchronize_session=False)
    )
    changed = bool(getattr(result, "rowcount", 0))
    if changed:
        db.session.expire(registration, ["join_first_used_at_utc"])
    return changed
