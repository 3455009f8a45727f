"""Joining-link tokens: derived like manage links, with their own purpose and a version.

docs/safety.md#personal-joining-links: the token is an HMAC of the booking's calendar UID
and its version; only its SHA-256 is stored, for look-up. Raising the version (an
organiser revoking the link) ends the old link without touching the manage link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from flask import current_app
from sqlalchemy import event as orm_event
from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Registration
from webinar.security import hash_token
from webinar.urls import public_url


def join_token_for(calendar_uid: str, version: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"join-booking:{version}:{calendar_uid}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def current_join_token(registration: Registration) -> str:
    """The booking's joining token, storing its hash if it has none yet (older bookings)."""
    token = join_token_for(registration.calendar_uid, registration.join_token_version)
    if registration.join_token_hash != hash_token(token):
        registration.join_token_hash = hash_token(token)
    return token


def join_url_for(registration: Registration) -> str:
    """The absolute joining address emails and calendar entries carry."""
    return public_url("joining.join", token=current_join_token(registration))


def find_registration_by_join_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.join_token_hash == hash_token(token))
    )


@orm_event.listens_for(Registration, "before_insert")
def _store_join_token_hash(_mapper: Any, _connection: Any, target: Registration) -> None:
    """Every new booking is inserted with its joining-link hash."""
    if target.join_token_hash is None and target.calendar_uid:
        version = target.join_token_version or 0
        target.join_token_hash = hash_token(join_token_for(target.calendar_uid, version))
