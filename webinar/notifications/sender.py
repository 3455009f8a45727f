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
import time
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
        claimed_since = _seconds()
        with Transport() as transport:
            _deliver_batch(claimed, transport, report, claimed_since=claimed_since)
    return report


def _deliver_batch(
    claimed: Sequence[Claimed], transport: Transport, report: SendReport, *, claimed_since: float
) -> None:
    """Send the claimed messages one by one, recording each outcome as it happens.

    If the database connection drops (restart, failover), the outcome in hand is recorded
    on a new connection and the rest of the batch goes back to DUE for the next claim: no
    message sent is sent again, and none waits SENDING_TIMEOUT. A batch still going at
    half SENDING_TIMEOUT (a mail server answering very slowly) returns the rest to DUE
    too, before another sender could take them as stuck and send them a second time.
    """
    for position, item in enumerate(claimed):
        if _seconds() - claimed_since > SENDING_TIMEOUT.total_seconds() / 2:
            log.warning(
                "Batch too slow; returning its last %s messages to due", len(claimed) - position
            )
            _return_to_due(claimed[position:])
            return
        values = _send(item, transport, report)
        try:
            _record_outcome(item, values)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            log.warning("Database connection lost while sending; returning the rest to due")
            db.session.rollback()
            _record_outcome(item, values)
            _return_to_due(claimed[position + 1 :])
            return


def _seconds() -> float:
    """A clock for how long a batch has been going (its own name, for tests)."""
    return time.monotonic()


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


def _record_outcome(item: Claimed, values: dict[str, Any]) -> None:
    """Record one message's outcome, if the row is still this sender's claim."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.row_id)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .where(OutboxMessage.claimed_at_utc == item.claimed_at)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _return_to_due(untried: Sequence[Claimed]) -> None:
    """Give back rows this sender claimed and did not try; not those claimed since."""
    for claimed_at in {item.claimed_at for item in untried}:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([item.row_id for item in untried]))
            .where(OutboxMessage.status == OutboxStatus.SENDING)
            .where(OutboxMessage.claimed_at_utc == claimed_at)
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
