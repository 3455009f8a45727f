"""Signed, expiring links that confirm a new email address for a booking.

The link is made when the email is sent (from the outbox row's payload), so no token is
stored; it names the booking by its random calendar UID, never by its id.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

#: How long a confirmation link works.
MAX_AGE_SECONDS = 24 * 60 * 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt="change-email")


def email_change_token(calendar_uid: str, new_email: str) -> str:
    return _serializer().dumps({"uid": calendar_uid, "email": new_email})


def read_email_change_token(token: str) -> tuple[str, str] | None:
    """(calendar UID, new address), or None when the link is wrong or has expired."""
    if len(token) > 1000:
        return None
    try:
        data: Any = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    uid, email = data.get("uid"), data.get("email")
    return (uid, email) if isinstance(uid, str) and isinstance(email, str) else None
