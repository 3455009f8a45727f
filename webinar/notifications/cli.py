"""`flask outbox send [--forever]`, `flask outbox purge` and `flask outbox status`."""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from webinar.config import is_development
from webinar.extensions import db
from webinar.notifications.housekeeping import outbox_counts, purge_old_messages
from webinar.notifications.sender import send_due_messages

log = logging.getLogger(__name__)

outbox_group = AppGroup("outbox", help="Send and purge queued emails.")

#: How often `send --forever` purges old rows, and how long it sleeps when idle.
PURGE_EVERY_SECONDS = 60 * 60
POLL_SECONDS = 2.0


class _StopFlag:
    """Set by SIGTERM or SIGINT: finish the message in hand, then stop."""

    def __init__(self) -> None:
        self.stopping = False

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True


def _refuse_files_in_production() -> None:
    if not current_app.config.get("MAIL_SERVER") and not is_development(current_app):
        # Writing emails (with addresses) to files is for development only.
        raise click.ClickException(
            "FLASK_MAIL_SERVER is not set. Set it (and FLASK_MAIL_PORT, FLASK_MAIL_USE_TLS, "
            "FLASK_MAIL_USERNAME, FLASK_MAIL_PASSWORD) to send emails in production."
        )


@outbox_group.command("send")
@click.option("--forever", is_flag=True, help="Keep sending as emails fall due.")
def send_command(forever: bool) -> None:
    """Send the emails that are due (several senders may run at once)."""
    _refuse_files_in_production()
    if not forever:
        report = send_due_messages()
        click.echo(
            f"Sent {report.sent}, retrying later {report.retrying}, "
            f"failed {report.failed}, dropped {report.dropped}."
        )
        return
    flag = _StopFlag()
    signal.signal(signal.SIGTERM, flag.stop)
    signal.signal(signal.SIGINT, flag.stop)
    last_purge = 0.0
    click.echo("Sending emails as they fall due. Stop with Ctrl+C.")
    warning = discreet_sender_warning()
    if warning:
        log.warning(warning)
    while not flag.stopping:
        try:
            if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                purge_old_messages()
                db.session.commit()
                last_purge = time.monotonic()
            report = send_due_messages(stopping=lambda: flag.stopping)
            if report.handled:
                click.echo(
                    f"Sent {report.sent}, retrying {report.retrying}, failed {report.failed}."
                )
        except Exception:
            # The database may be restarting: keep going, nothing is lost.
            log.exception("Sending failed; trying again shortly")
            db.session.rollback()
        finally:
            db.session.remove()
        _sleep(POLL_SECONDS, flag)


def _sleep(seconds: float, flag: _StopFlag) -> None:
    deadline = time.monotonic() + seconds
    while not flag.stopping and time.monotonic() < deadline:
        time.sleep(min(0.2, seconds))


@outbox_group.command("purge")
def purge_command() -> None:
    """Delete sent, dropped and failed emails older than SENT_EMAIL_RETENTION_DAYS."""
    purged = purge_old_messages()
    db.session.commit()
    click.echo(f"Purged {purged} emails.")


@outbox_group.command("status")
def status_command() -> None:
    """Show how many emails are due, being sent and failed, and risky settings."""
    counts = outbox_counts()
    for name in ("due", "retrying", "sending", "scheduled", "failed"):
        click.echo(f"{name}: {getattr(counts, name)}")
    warning = discreet_sender_warning()
    if warning:
        click.echo(warning)


def discreet_sender_warning() -> str | None:
    """A warning when discreet emails would come from the main, possibly telling, address."""
    config = current_app.config
    if not config.get("MAIL_SERVER") or config.get("DISCREET_SENDER_EMAIL"):
        return None
    return (
        "Warning: FLASK_DISCREET_SENDER_EMAIL is not set, so discreet emails come from "
        f"{config['MAIL_DEFAULT_SENDER']}, whose domain may name the organisation. Set it "
        "to a neutral address."
    )
