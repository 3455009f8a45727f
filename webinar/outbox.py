"""The sender: claims due outbox rows, sends them, and records what happened.

Delivery is at least once. A row is claimed (SENDING) and committed before the SMTP
conversation, so no transaction or lock is held while a mail server is slow; a sender
killed half way leaves rows SENT, or SENDING until SENDING_TIMEOUT makes
them claimable again. The Message-ID stored in the row stays the same on every attempt.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from flask_mail import Connection, Mail
from sqlalchemy import and_, delete, func, or_, select, update

from webinar.email_rendering import render_outbox_message
from webinar.extensions import db, mail
from webinar.invite_message import InviteMessage
from webinar.models import OutboxMessage, OutboxStatus, utc_now

log = logging.getLogger(__name__)

BATCH_SIZE = 20
#: A row claimed longer ago than this is assumed abandoned by a killed sender.
SENDING_TIMEOUT = timedelta(minutes=10)
RETRY_BASE_SECONDS = 30.0
RETRY_MAX_SECONDS = 60 * 60.0
#: With the hour-long cap, about a day of retrying before giving up.
MAX_ATTEMPTS = 30


class TemporaryFailure(Exception):
    """Try again later: the server is down, slow or said 4xx."""


class PermanentFailure(Exception):
    """Do not try again: the server said 5xx about this message or recipient."""


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
class _Claimed:
    row_id: int
    attempts: int
    message: InviteMessage


def send_due_messages(*, now: datetime | None = None, batch_size: int | None = None) -> SendReport:
    """Send every row due now, batch by batch, until none is left."""
    report = SendReport()
    batch_size = batch_size or BATCH_SIZE
    while True:
        handled_before = report.handled
        claimed = claim_due_messages(now=now or utc_now(), limit=batch_size, report=report)
        if not claimed and report.handled == handled_before:
            return report
        with _Transport() as transport:
            for item in claimed:
                _deliver(item, transport, report)


def claim_due_messages(*, now: datetime, limit: int, report: SendReport) -> list[_Claimed]:
    """Mark up to `limit` due rows SENDING, render them, and commit.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets several senders claim different rows at
    once. SQLAlchemy leaves it out on SQLite, where write transactions already begin
    with BEGIN IMMEDIATE (webinar.database), so claims are serialised.
    """
    stale_before = now - SENDING_TIMEOUT
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(
            or_(
                and_(
                    OutboxMessage.status == OutboxStatus.DUE,
                    OutboxMessage.due_at_utc <= now,
                ),
                and_(
                    OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.claimed_at_utc < stale_before,
                ),
            )
        )
        .order_by(OutboxMessage.due_at_utc, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed: list[_Claimed] = []
    for row in rows:
        try:
            message = render_outbox_message(row, now=now)
        except Exception as error:  # a bug in one email must not stop the others
            log.exception("Could not render outbox row %s", row.id)
            _record_failure(row, f"Could not render: {error!r}")
            report.failed += 1
            continue
        if message is None:
            row.status = OutboxStatus.DROPPED
            report.dropped += 1
            continue
        row.status = OutboxStatus.SENDING
        row.claimed_at_utc = now
        claimed.append(_Claimed(row_id=row.id, attempts=row.attempts, message=message))
    db.session.commit()
    return claimed


def _deliver(item: _Claimed, transport: _Transport, report: SendReport) -> None:
    """Send one claimed message and record the outcome in its own short transaction."""
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
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item.row_id)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _failed_values(reason: str) -> dict[str, Any]:
    return {"status": OutboxStatus.FAILED, "last_error": reason[:1000]}


def _record_failure(row: OutboxMessage, reason: str) -> None:
    row.status = OutboxStatus.FAILED
    row.attempts += 1
    row.last_error = reason[:1000]


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential backoff with jitter, so retries from many senders spread out."""
    ceiling = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    # "Equal jitter": at least half the delay, so a retry is never immediate.
    return timedelta(seconds=ceiling / 2 + secrets.SystemRandom().uniform(0, ceiling / 2))


class _Transport:
    """SMTP when MAIL_SERVER is set; otherwise .eml files for development."""

    def __init__(self) -> None:
        config = current_app.config
        self.server = str(config.get("MAIL_SERVER") or "")
        self.connection: _TimedConnection | None = None

    def __enter__(self) -> _Transport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()

    def send(self, message: InviteMessage) -> None:
        if not self.server:
            try:
                write_eml(message)
            except OSError as error:
                raise TemporaryFailure(f"Could not write the .eml file: {error}") from error
            return
        try:
            if self.connection is None:
                self.connection = _TimedConnection(mail).__enter__()
            self.connection.send(message)
        except smtplib.SMTPRecipientsRefused as error:
            self._close()
            codes = [code for code, _text in error.recipients.values()]
            detail = "; ".join(f"{code} {text!r}" for code, text in error.recipients.values())
            if codes and all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(f"Recipient refused: {detail}") from error
            raise PermanentFailure(f"Recipient refused: {detail}") from error
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as error:
            # Our own settings are wrong: every message would fail, so keep them all due
            # until someone fixes the configuration.
            self._close()
            raise TemporaryFailure(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except smtplib.SMTPResponseException as error:
            self._close()
            reason = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(reason) from error
            raise TemporaryFailure(reason) from error
        except (smtplib.SMTPException, OSError) as error:
            # Refused or dropped connections, time-outs, DNS failures.
            self._close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error

    def _close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None and connection.host is not None:
            try:
                connection.host.quit()
            except (smtplib.SMTPException, OSError):
                connection.host.close()


class _TimedConnection(Connection):
    """Flask-Mail's connection, with settings read now and a time-out.

    Flask-Mail reads its settings once, at init_app; reading them here lets a deployment
    (or a test) change them. Without a time-out a silent server would stall the sender.
    """

    def __init__(self, extension: Mail) -> None:
        app = current_app
        # Connection only reads the settings attributes, which _Mail and Mail share.
        super().__init__(extension.init_mail(app.config, app.debug, app.testing))  # type: ignore[arg-type]

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        timeout = float(current_app.config["MAIL_TIMEOUT"])
        host: smtplib.SMTP
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def eml_directory() -> Path:
    return Path(current_app.config["OUTBOX_EML_DIR"])


def write_eml(message: InviteMessage) -> Path:
    """Write the message as a .eml file (no MAIL_SERVER: development)."""
    directory = eml_directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    name = message.msgId.strip("<>").partition("@")[0]
    path = directory / f"{stamp}-{name}.eml"
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(message.as_bytes())
    temporary.replace(path)  # atomic: the list page never shows half a file
    return path


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
