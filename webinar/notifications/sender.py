"""The sender: claims due outbox rows, sends them, and records what happened.

Recording outcomes is here; claiming rows is in webinar.notifications.claims, building
the message in webinar.notifications.rendering, and handing it to SMTP (one connection
per batch) or a .eml file in webinar.notifications.transport.

Delivery is at least once. A row is claimed (SENDING) and committed before the SMTP
conversation, so no transaction or lock is held while a mail server is slow. A sender
killed half way leaves rows SENT, or SENDING until SENDING_TIMEOUT makes them claimable
again; a sender whose database connection drops records the message in hand on a new
connection and returns the rest to DUE at once. The Message-ID stored in the row stays
the same on every attempt.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus, utc_now
from webinar.notifications.claims import (
    SENDING_TIMEOUT,
    Claimed,
    SendReport,
    claim_due_messages,
)
from webinar.notifications.transport import PermanentFailure, TemporaryFailure, Transport

__all__ = ["SENDING_TIMEOUT", "SendReport", "retry_delay", "send_due_messages"]

log = logging.getLogger(__name__)

#: Rows claimed, rendered and sent over one SMTP connection at a time. Larger batches
#: spend less on claiming and connecting; the claim holds its rows (not the table) while
#: they render, and SKIP LOCKED lets other senders pass them by.
BATCH_SIZE = 100
RETRY_BASE_SECONDS = 30.0
RETRY_MAX_SECONDS = 60 * 60.0
#: With the hour-long cap, about a day of retrying before giving up.
MAX_ATTEMPTS = 30


def send_due_messages(
    *,
    now: datetime | None = None,
    batch_size: int | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> SendReport:
    """Send every row due now, batch by batch, until none is left or `stopping()` says so.

    `stopping` is asked between batches: a sender told to stop (SIGTERM) during a backlog
    of thousands finishes the batch in hand, records it, and returns, rather than be
    killed half way by its service manager and leave its batch to be sent again.
    """
    report = SendReport()
    batch_size = batch_size or BATCH_SIZE
    while not stopping():
        handled_before = report.handled
        claimed = claim_due_messages(now=now or utc_now(), limit=batch_size, report=report)
        if not claimed and report.handled == handled_before:
            return report
        with Transport() as transport:
            _deliver_batch(claimed, transport, report)
    return report


def _deliver_batch(claimed: Sequence[Claimed], transport: Transport, report: SendReport) -> None:
    """Send the claimed messages one by one, recording each outcome as it happens.

    If the database connection drops (restart, failover), the outcome in hand is recorded
    on a new connection and the rest of the batch goes back to DUE for the next claim: no
    message sent is sent again, and none waits SENDING_TIMEOUT.
    """
    for position, item in enumerate(claimed):
        values = _send(item, transport, report)
        try:
            _record_outcome(item.row_id, values)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            log.warning("Database connection lost while sending; returning the rest to due")
            db.session.rollback()
            _record_outcome(
                item.row_id, values, untried=[rest.row_id for rest in claimed[position + 1 :]]
            )
            return


def _send(item: Claimed, transport: Transport, report: SendReport) -> dict[str, Any]:
    """Send one claimed message; the values that record how it went."""
    values: dict[str, Any]
    try:
        transport.send(item.message)
    except TemporaryFailure as error:
        attempts = item.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            values = _failed_values(f"Gave up after {attempts} attempts: {error}")
            report.failed += 1
        else:
            values = {
                "status": OutboxStatus.DUE,
                "due_at_utc": utc_now() + retry_delay(attempts),
                "last_error": str(error)[:1000],
            }
            report.retrying += 1
        values["attempts"] = attempts
        report.errors.append(str(error))
    except PermanentFailure as error:
        values = {**_failed_values(str(error)), "attempts": item.attempts + 1}
        report.failed += 1
        report.errors.append(str(error))
    else:
        values = {"status": OutboxStatus.SENT, "sent_at_utc": utc_now(), "last_error": None}
        report.sent += 1
    return values


def _record_outcome(row_id: int, values: dict[str, Any], *, untried: Sequence[int] = ()) -> None:
    """Record one message's outcome, and put `untried` rows back to DUE, in one commit."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if untried:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(untried))
            .where(OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.DUE, claimed_at_utc=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def _failed_values(reason: str) -> dict[str, Any]:
    return {"status": OutboxStatus.FAILED, "last_error": reason[:1000]}


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential backoff with jitter, so retries from many senders spread out."""
    ceiling = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    # "Equal jitter": at least half the delay, so a retry is never immediate.
    return timedelta(seconds=ceiling / 2 + secrets.SystemRandom().uniform(0, ceiling / 2))
