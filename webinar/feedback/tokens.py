"""Feedback links: derived from the booking, found without storing anything on it.

docs/safety.md#anonymous-feedback: the token is the event id and an HMAC of the booking's
calendar UID with the purpose `feedback`. Nothing about it is kept on the booking: a link
is checked by working out the HMAC of each booking of that event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app
from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Registration, RegistrationStatus


def _mac(calendar_uid: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"feedback:" + calendar_uid.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def feedback_token_for(registration: Registration) -> str:
    return f"{registration.event_id}-{_mac(registration.calendar_uid)}"


def booking_for_feedback(token: str) -> Registration | None:
    """The booked place this link was made for, or None."""
    event_part, _, mac = token.partition("-")
    if not (event_part.isascii() and event_part.isdigit()) or len(event_part) > 9 or not mac:
        return None
    booked = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == int(event_part))
        .where(Registration.status == RegistrationStatus.BOOKED)
    )
    for registration in booked:
        if hmac.compare_digest(_mac(registration.calendar_uid), mac):
            return registration
    return None
