"""Claiming outbox rows for one sender: which rows, in which order, and rendering them.

Two queries, each served by its own partial index (webinar.models.outbox), instead of
one OR that PostgreSQL could only answer by sorting every due row: rows left SENDING by
a sender that stopped, then due rows in due order. Why: docs/architecture.md#the-sender-at-scale.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import Event, OutboxMessage, OutboxStatus, Registration
from webinar.notifications.mime import InviteMessage
from webinar.notifications.rendering import render_outbox_message

log = logging.getLogger(__name__)

#: A row claimed longer ago than this is assumed abandoned by a killed sender.
SENDING_TIMEOUT = timedelta(minutes=10)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.dropped


@dataclass(frozen=True)
class Claimed:
    row_id: int
    attempts: int
    message: InviteMessage
    #: The claim's own mark: outcomes are recorded only while the row still carries it.
    claimed_at: datetime


def claim_due_messages(*, now: datetime, limit: int, report: SendReport) -> list[Claimed]:
    """Mark up to `limit` rows SENDING, render them, and commit.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets several senders claim different rows at
    once. SQLAlchemy leaves it out on SQLite, where write transactions already begin
    with BEGIN IMMEDIATE (webinar.database), so claims are serialised.
    """
    rows = list(lock_stuck_rows(now=now, limit=limit))
    if len(rows) < limit:
        rows += lock_due_rows(now=now, limit=limit - len(rows))
    # Held until the batch is rendered: the identity map only keeps objects in use.
    loaded = _load_bookings_and_events(rows)
    claimed: list[Claimed] = []
    for row in rows:
        item = _claim(row, now=now, report=report)
        if item is not None:
            claimed.append(item)
    db.session.commit()
    del loaded
    return claimed


def lock_stuck_rows(*, now: datetime, limit: int) -> Sequence[OutboxMessage]:
    """Rows a stopped sender left SENDING for longer than SENDING_TIMEOUT, oldest first."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .where(OutboxMessage.claimed_at_utc < now - SENDING_TIMEOUT)
        .order_by(OutboxMessage.claimed_at_utc)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def lock_due_rows(*, now: datetime, limit: int) -> Sequence[OutboxMessage]:
    """Due rows, in the order they fell due: the first entries of ix_outbox_message_due."""
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.DUE)
        .where(OutboxMessage.due_at_utc <= now)
        .order_by(OutboxMessage.due_at_utc, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def _load_bookings_and_events(rows: Sequence[OutboxMessage]) -> list[Registration | Event]:
    """One query each for the batch's bookings and events, instead of one per message.

    They land in the session's identity map, where `row.registration` and rendering's
    `db.session.get(Event, ...)` find them without going back to the database.
    """
    loaded: list[Registration | Event] = []
    registration_ids = {row.registration_id for row in rows if row.registration_id is not None}
    if registration_ids:
        query = select(Registration).where(Registration.id.in_(registration_ids))
        loaded += db.session.scalars(query).all()
    event_ids = {row.event_id for row in rows if row.event_id is not None}
    if event_ids:
        loaded += db.session.scalars(select(Event).where(Event.id.in_(event_ids))).all()
    return loaded


def _claim(row: OutboxMessage, *, now: datetime, report: SendReport) -> Claimed | None:
    """Render one row and mark it SENDING; or record why it will not be sent."""
    try:
        message = render_outbox_message(row, now=now)
    except Exception as error:  # a bug in one email must not stop the others
        log.exception("Could not render outbox row %s", row.id)
        _record_failure(row, f"Could not render: {error!r}")
        report.failed += 1
        return None
    if message is None:
        row.status = OutboxStatus.DROPPED
        report.dropped += 1
        return None
    row.status = OutboxStatus.SENDING
    row.claimed_at_utc = now
    return Claimed(row_id=row.id, attempts=row.attempts, message=message, claimed_at=now)


def _record_failure(row: OutboxMessage, reason: str) -> None:
    row.status = OutboxStatus.FAILED
    row.attempts += 1
    row.last_error = reason[:1000]
