"""A new registration row, as booking, the waiting list and the demo data make it."""

from __future__ import annotations

import uuid
from datetime import datetime

from webinar.models import Event, Registration, RegistrationStatus
from webinar.registrations.booking_codes import new_booking_code
from webinar.security import hash_token, manage_token_for
from webinar.validators import normalise_email


def new_registration(
    *,
    event: Event,
    name: str,
    email: str,
    status: RegistrationStatus,
    accessibility_needs: str | None,
    discreet: bool,
    now: datetime,
    booking_code: str | None = None,
) -> Registration:
    """A booking with its random calendar UID and the hash of its manage-link token."""
    calendar_uid = f"{uuid.uuid4()}@booking"
    return Registration(
        event=event,
        calendar_uid=calendar_uid,
        name=name.strip(),
        email=normalise_email(email),
        status=status,
        accessibility_needs=accessibility_needs or None,
        discreet=discreet,
        created_at_utc=now,
        status_changed_at_utc=now,
        manage_token_hash=hash_token(manage_token_for(calendar_uid)),
        booking_code=booking_code or new_booking_code(event.id),
    )
