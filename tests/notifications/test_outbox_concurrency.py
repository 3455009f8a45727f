"""Several senders at once send each row exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

from flask import Flask

from tests.conftest import base_config, postgres_url
from tests.factories import Factory
from tests.smtp_server import SMTPServer
from webinar import create_app
from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus, utc_now
from webinar.notifications.sender import SendReport, send_due_messages

SENDERS = 3
# Enough batches (of 2) that a sender started late on a loaded machine still finds work.
PEOPLE = 60


def run_senders_at_once(config: dict[str, object], *, batch_size: int = 2) -> list[SendReport]:
    """Each sender is its own app (own engine and connections), as in separate processes."""
    apps = [create_app(dict(config)) for _ in range(SENDERS)]
    start = threading.Barrier(SENDERS)
    reports: list[SendReport] = []
    failures: list[BaseException] = []

    def sender(app: Flask) -> None:
        with app.app_context():
            try:
                start.wait()
                reports.append(send_due_messages(batch_size=batch_size))
            except BaseException as error:  # reported below, in the test's thread
                failures.append(error)
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=sender, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return reports


def register_people(factory: Factory) -> None:
    event = factory.event(capacity=PEOPLE)
    for number in range(PEOPLE):
        factory.registration(event, email=f"person{number}@example.com")
    # On SQLite every transaction begins IMMEDIATE: end ours so the senders can write.
    db.session.commit()


def assert_each_sent_once(smtp_server: SMTPServer, reports: list[SendReport]) -> None:
    received = smtp_server.wait_for(PEOPLE, timeout=20)
    counts = Counter(message["Message-ID"] for message in received)
    assert len(counts) == PEOPLE and set(counts.values()) == {1}
    assert sum(report.sent for report in reports) == PEOPLE
    db.session.expire_all()
    sent = db.session.query(OutboxMessage).filter(OutboxMessage.status == OutboxStatus.SENT)
    assert sent.count() == PEOPLE


def test_two_or_more_senders_on_sqlite_send_each_row_once(
    app: Flask, factory: Factory, smtp_server: SMTPServer, tmp_path: Path
) -> None:
    register_people(factory)
    config = {**base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)}
    config.update(smtp_server.flask_config())

    reports = run_senders_at_once(config)

    assert_each_sent_once(smtp_server, reports)


def test_two_or_more_senders_on_postgresql_send_each_row_once(
    pg_app: Flask, smtp_server: SMTPServer, postgres_schema: str, tmp_path: Path
) -> None:
    register_people(Factory())
    config = {**base_config(postgres_url(postgres_schema), tmp_path)}
    config.update(smtp_server.flask_config())

    reports = run_senders_at_once(config)

    assert_each_sent_once(smtp_server, reports)
    assert sum(1 for report in reports if report.sent) >= 2, "the work was shared"


def test_senders_on_postgresql_share_stuck_and_due_rows_and_send_each_once(
    pg_app: Flask, smtp_server: SMTPServer, postgres_schema: str, tmp_path: Path
) -> None:
    """Half the rows were left "sending" by a sender killed 11 minutes ago."""
    register_people(Factory())
    due = db.session.query(OutboxMessage).filter(OutboxMessage.due_at_utc <= utc_now())
    for row in due.order_by(OutboxMessage.id).all()[::2]:
        row.status = OutboxStatus.SENDING
        row.claimed_at_utc = row.created_at_utc - timedelta(minutes=11)
    db.session.commit()
    config = {**base_config(postgres_url(postgres_schema), tmp_path)}
    config.update(smtp_server.flask_config())

    reports = run_senders_at_once(config, batch_size=5)

    assert_each_sent_once(smtp_server, reports)
