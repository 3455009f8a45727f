"""Replacing one booking's joining link (docs/safety.md#personal-joining-links).

The old link stops working at once; the person is sent the new one in an update of
their one calendar entry (same UID, SEQUENCE raised here by an SQL increment).
"""

from __future__ import annotations

from sqlalchemy import update

from webinar.extensions import db
from webinar.joining.tokens import current_join_token
from webinar.models import Registration, RegistrationStatus
from webinar.notifications import emails


class NotBooked(Exception):
    """Only a booked place has a joining link to replace."""


def replace_join_link(registration: Registration) -> None:
    """New version, new stored hash, raised SEQUENCE and an email; the caller commits."""
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id)
        .where(Registration.status == RegistrationStatus.BOOKED)
        .values(
            join_token_version=Registration.join_token_version + 1,
            calendar_sequence=Registration.calendar_sequence + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotBooked
    db.session.refresh(registration)
    current_join_token(registration)  # stores the new version's hash
    db.session.flush()
    emails.joining_link_replaced_to_attendee(registration)
