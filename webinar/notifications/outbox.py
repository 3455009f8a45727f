"""Putting emails in the outbox, inside the caller's transaction (nothing is sent here)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from webinar.extensions import db
from webinar.models import Event, OutboxMessage, Registration, utc_now
from webinar.notifications.identity import sender_for


def new_message_id(*, discreet: bool = False) -> str:
    """A stable RFC 5322 Message-ID, fixed when the row is written so retries reuse it."""
    domain = sender_for(discreet=discreet)[1].rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(
    *,
    kind: str,
    recipient: str,
    registration: Registration | None = None,
    event: Event | None = None,
    calendar_sequence: int | None = None,
    due_at_utc: datetime | None = None,
    dedupe_key: str | None = None,
    payload: dict[str, Any] | None = None,
    discreet: bool | None = None,
) -> OutboxMessage:
    """Add an email to the session; it is sent only if the caller's transaction commits."""
    if discreet is None:
        discreet = bool(registration is not None and registration.discreet)
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        registration=registration,
        event_id=event.id if event is not None else None,
        calendar_sequence=calendar_sequence,
        due_at_utc=due_at_utc or utc_now(),
        dedupe_key=dedupe_key,
        payload=payload,
        message_id=new_message_id(discreet=discreet),
    )
    db.session.add(message)
    return message
