"""Finding bookings."""

from __future__ import annotations

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Registration, RegistrationStatus
from webinar.security import hash_token


def active_registration(*, event_id: int, email: str) -> Registration | None:
    """The booking or waiting-list place this address holds for the event, if any."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.event_id == event_id)
        .where(Registration.email == email)
        .where(Registration.status != RegistrationStatus.CANCELLED)
    )


def find_registration_by_token(token: str) -> Registration | None:
    """The booking whose manage link carries this token (docs/safety.md#manage-links)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.manage_token_hash == hash_token(token))
    )
