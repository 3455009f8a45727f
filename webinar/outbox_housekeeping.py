"""Keeping the outbox small: purging old rows and .eml files, and counting what waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select

from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus, utc_now
from webinar.outbox_transport import eml_directory


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
    db.session.commit()
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


def outbox_health() -> dict[str, int]:
    """Counts for the organisers' dashboard: due now (some retrying), sending, failed."""
    now = utc_now()

    def count(*conditions: Any) -> int:
        found = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(*conditions)
        )
        return int(found or 0)

    due_now = (OutboxMessage.status == OutboxStatus.DUE, OutboxMessage.due_at_utc <= now)
    return {
        "due": count(*due_now),
        "retrying": count(OutboxMessage.status == OutboxStatus.DUE, OutboxMessage.attempts > 0),
        "sending": count(OutboxMessage.status == OutboxStatus.SENDING),
        "failed": count(OutboxMessage.status == OutboxStatus.FAILED),
    }
