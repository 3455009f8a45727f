"""The sender's database connection dropping half way through a batch: each email once.

Time is frozen in these tests, so a row left SENDING would never become claimable again
(SENDING_TIMEOUT): every row reaching SENT shows the untried ones went back to DUE.
"""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import Connection, select
from sqlalchemy.event import listen, remove

from tests.concurrency.conftest import end_connections
from tests.factories import Factory
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus
from webinar.notifications import sender
from webinar.notifications.kinds import Kind
from webinar.notifications.mime import InviteMessage
from webinar.notifications.transport import Transport

PEOPLE = 6


def outbox_with_confirmations() -> None:
    factory = Factory()
    event = factory.event(capacity=PEOPLE)
    for number in range(PEOPLE):
        factory.registration(event, email=f"person{number}@example.com")
    db.session.commit()


def assert_each_sent_once(smtp_server: SMTPServer, report: sender.SendReport) -> None:
    received = smtp_server.wait_for(PEOPLE)
    message_ids = Counter(message["Message-ID"] for message in received)
    assert len(received) == PEOPLE and set(message_ids.values()) == {1}
    assert report.sent == PEOPLE
    db.session.rollback()
    statuses = db.session.scalars(
        select(OutboxMessage.status).filter_by(kind=Kind.BOOKING_CONFIRMED)
    ).all()
    assert statuses == [OutboxStatus.SENT] * PEOPLE


def test_a_connection_dropped_while_an_email_is_sent(
    named_app: Flask, smtp_server: SMTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    named_app.config.update(smtp_server.flask_config())
    outbox_with_confirmations()
    ended: list[int] = []
    real_send = Transport.send

    def send_then_drop_the_database(self: Transport, message: InviteMessage) -> None:
        real_send(self, message)
        if len(smtp_server.received) == 2:
            ended.append(end_connections(named_app))

    monkeypatch.setattr(Transport, "send", send_then_drop_the_database)

    report = sender.send_due_messages(batch_size=PEOPLE)

    assert ended and ended[0] >= 1, "the sender's connection was never ended"
    assert_each_sent_once(smtp_server, report)


def test_a_connection_dropped_while_an_outcome_is_recorded(
    named_app: Flask, smtp_server: SMTPServer
) -> None:
    """The second email's SENT is lost with the connection: it is recorded on a new one."""
    named_app.config.update(smtp_server.flask_config())
    outbox_with_confirmations()
    ended: list[int] = []

    def drop_before_the_second_outcome_commits(connection: Connection) -> None:
        if len(smtp_server.received) == 2 and not ended:
            ended.append(end_connections(named_app))

    listen(db.engine, "commit", drop_before_the_second_outcome_commits)
    try:
        report = sender.send_due_messages(batch_size=PEOPLE)
    finally:
        remove(db.engine, "commit", drop_before_the_second_outcome_commits)

    assert ended and ended[0] >= 1, "the sender's connection was never ended"
    assert_each_sent_once(smtp_server, report)
