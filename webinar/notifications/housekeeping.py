"""Keeping the outbox small: purging old rows and .eml files, and counting what waits."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select

from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus, utc_now
from webinar.notifications.transport import eml_directory


def purge_old_messages(*, now: datetime | None = None) -> int:
    """Delete sent, dropped and failed rows (they hold addresses) after the retention."""
    now = now or utc_now()
    cutoff = now - timedelta(days=int(current_app.config["SENT_EMAIL_RETENTION_DAYS"]))
    result = db.session.execute(
        delete(OutboxMessage)
        .where(
            or_(
                and_(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at_utc < cutoff),
                and_(
                    OutboxMessage.status.in_([OutboxStatus.DROPPED, OutboxStatus.FAILED]),
                    func.coalesce(OutboxMessage.claimed_at_utc, OutboxMessage.due_at_utc) < cutoff,
                ),
            )
        )
        .execution_options(synchronize_session=False)
    )
    purged = int(result.rowcount)  # type: ignore[attr-defined]
    for path in _eml_files():
        if _written_at(path) < cutoff:
            path.unlink(missing_ok=True)
    return purged


def _written_at(path: Path) -> datetime:
    """When write_eml wrote the file: the stamp starting its name."""
    try:
        return datetime.strptime(path.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _eml_files() -> list[Path]:
    directory = eml_directory()
    return sorted(directory.glob("*.eml"), reverse=True) if directory.is_dir() else []


def list_eml_files() -> list[Path]:
    """The .eml files written in development, newest first."""
    return _eml_files()


@dataclass(frozen=True)
class OutboxCounts:
    """What the outbox holds, for the dashboard and `flask outbox status`."""

    #: Due now and not sent yet (some of them retrying after a failure).
    due: int
    #: Of those due, how many have failed before and are being retried.
    retrying: int
    #: Claimed by a sender right now.
    sending: int
    #: Reminders and the like, due later.
    scheduled: int
    failed: int

    @property
    def waiting(self) -> int:
        """Due now or being sent: what people are waiting for."""
        return self.due + self.sending


def outbox_counts(*, now: datetime | None = None) -> OutboxCounts:
    now = now or utc_now()
    # Labelled expressions, so PostgreSQL groups by the same thing it selects.
    is_due = (OutboxMessage.due_at_utc <= now).label("is_due")
    retried = (OutboxMessage.attempts > 0).label("retried")
    rows = db.session.execute(
        select(OutboxMessage.status, is_due, retried, func.count()).group_by(
            OutboxMessage.status, is_due, retried
        )
    ).all()
    counts: Counter[tuple[OutboxStatus, bool, bool]] = Counter()
    for status, due, was_retried, count in rows:
        counts[(status, bool(due), bool(was_retried))] += int(count)

    def total(status: OutboxStatus, *, due: bool | None = None, retried: bool | None = None) -> int:
        return sum(
            count
            for (row_status, row_due, row_retried), count in counts.items()
            if row_status == status
            and (due is None or row_due == due)
            and (retried is None or row_retried == retried)
        )

    return OutboxCounts(
        due=total(OutboxStatus.DUE, due=True),
        retrying=total(OutboxStatus.DUE, retried=True),
        sending=total(OutboxStatus.SENDING),
        scheduled=total(OutboxStatus.DUE, due=False),
        failed=total(OutboxStatus.FAILED),
    )
