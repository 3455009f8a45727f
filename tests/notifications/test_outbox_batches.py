"""The sender's batches: which rows it claims first, one SMTP connection, failures per message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import update

from tests.factories import Factory
from tests.notifications.helpers import rows, send_now, use_smtp
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus
from webinar.notifications import sender
from webinar.notifications.kinds import Kind
from webinar.notifications.sender import send_due_messages


@pytest.fixture
def smtp(any_app: Flask, smtp_server: SMTPServer) -> SMTPServer:
    use_smtp(any_app, smtp_server)
    return smtp_server


@pytest.fixture
def factory(any_app: Flask) -> Factory:
    """Rows in the database the test runs on (the shared fixture is SQLite's)."""
    return Factory()


def confirmations_for(factory: Factory, *names: str) -> dict[str, OutboxMessage]:
    event = factory.event(capacity=len(names))
    for name in names:
        factory.registration(event, email=f"{name}@example.com")
    return {row.recipient.partition("@")[0]: row for row in rows(Kind.BOOKING_CONFIRMED)}


def recipients(smtp: SMTPServer, count: int) -> list[str]:
    """Who the first `count` messages went to, in the order they arrived."""
    return [message["To"].addresses[0].username for message in smtp.wait_for(count)]


def test_due_emails_go_out_in_the_order_they_fell_due_after_any_left_stuck(
    smtp: SMTPServer, factory: Factory, frozen_time: time_machine.Coordinates
) -> None:
    confirmations = confirmations_for(factory, "ash", "bo", "cy", "di")
    now = confirmations["ash"].due_at_utc
    confirmations["ash"].due_at_utc = now - timedelta(minutes=1)
    confirmations["bo"].due_at_utc = now - timedelta(minutes=3)
    confirmations["cy"].due_at_utc = now + timedelta(minutes=1)  # not due yet
    # A sender was killed 11 minutes ago while sending this one.
    confirmations["di"].status = OutboxStatus.SENDING
    confirmations["di"].claimed_at_utc = now - timedelta(minutes=11)
    db.session.commit()

    report = send_due_messages(batch_size=2)

    assert report.sent == 3
    assert recipients(smtp, 3) == ["di", "bo", "ash"]
    frozen_time.shift(timedelta(minutes=1))
    assert send_now().sent == 1
    assert recipients(smtp, 4)[-1] == "cy"


def test_a_row_sending_within_the_timeout_is_left_to_its_sender(
    smtp: SMTPServer, factory: Factory
) -> None:
    confirmations = confirmations_for(factory, "ash", "bo")
    confirmations["ash"].status = OutboxStatus.SENDING
    confirmations["ash"].claimed_at_utc = confirmations["ash"].due_at_utc - timedelta(minutes=9)
    db.session.commit()

    assert send_now().sent == 1
    assert recipients(smtp, 1) == ["bo"]


def test_a_batch_goes_over_one_smtp_connection(smtp: SMTPServer, factory: Factory) -> None:
    confirmations_for(factory, "ash", "bo", "cy", "di", "ed")

    assert send_due_messages(batch_size=5).sent == 5

    assert len(smtp.wait_for(5)) == 5
    assert len(smtp.connections) == 1


def test_a_refused_recipient_fails_or_waits_alone_and_the_batch_carries_on(
    smtp: SMTPServer, factory: Factory
) -> None:
    smtp.refuse_recipient("bo@example.com", 550)
    smtp.refuse_recipient("cy@example.com", 451)
    confirmations_for(factory, "ash", "bo", "cy", "di")

    report = send_due_messages(batch_size=4)

    assert (report.sent, report.failed, report.retrying) == (2, 1, 1)
    assert sorted(recipients(smtp, 2)) == ["ash", "di"]
    assert len(smtp.connections) == 1, "the refusals did not cost a new connection"
    db.session.expire_all()
    outcome = {row.recipient: row for row in rows(Kind.BOOKING_CONFIRMED)}
    assert outcome["bo@example.com"].status == OutboxStatus.FAILED
    assert "550" in (outcome["bo@example.com"].last_error or "")
    waiting = outcome["cy@example.com"]
    assert waiting.status == OutboxStatus.DUE and waiting.attempts == 1
    assert waiting.due_at_utc - waiting.created_at_utc >= timedelta(seconds=15), "backoff"
    assert [outcome[f"{name}@example.com"].status for name in ("ash", "di")] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
    ]


def test_a_refused_message_fails_alone(smtp: SMTPServer, factory: Factory) -> None:
    confirmations_for(factory, "ash", "bo")
    smtp.fail_next(554, text="Message rejected")

    report = send_due_messages(batch_size=2)

    assert (report.sent, report.failed) == (1, 1)
    assert len(smtp.wait_for(1)) == 1
    assert len(smtp.connections) == 1


def test_a_sender_told_to_stop_finishes_its_batch_and_leaves_the_rest_due(
    smtp: SMTPServer, factory: Factory
) -> None:
    confirmations_for(factory, "ash", "bo", "cy", "di", "ed")
    answers = iter([False, True])  # SIGTERM arrives while the first batch is sent

    report = send_due_messages(batch_size=2, stopping=lambda: next(answers))

    assert report.sent == 2
    assert len(smtp.wait_for(2)) == 2
    db.session.expire_all()
    assert sorted(row.status for row in rows(Kind.BOOKING_CONFIRMED)) == sorted(
        [OutboxStatus.SENT] * 2 + [OutboxStatus.DUE] * 3
    )


def test_a_batch_still_going_at_half_the_sending_timeout_gives_the_rest_back(
    smtp: SMTPServer, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before another sender could take them as stuck and send them a second time."""
    confirmations_for(factory, "ash", "bo", "cy")
    db.session.commit()
    # Each message takes four minutes: a mail server answering very slowly.
    clock = iter(range(0, 100 * 240, 240))
    monkeypatch.setattr(sender, "_seconds", lambda: next(clock))

    report = send_due_messages(batch_size=3)

    assert report.sent == 3  # one a batch: each time the rest went back and were claimed anew
    assert recipients(smtp, 3) == ["ash", "bo", "cy"]
    assert len(smtp.connections) == 3
    assert {row.status for row in rows(Kind.BOOKING_CONFIRMED)} == {OutboxStatus.SENT}


def test_an_outcome_is_not_recorded_over_another_senders_claim(
    smtp: SMTPServer, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmations = confirmations_for(factory, "ash")
    db.session.commit()
    row_id = confirmations["ash"].id
    reclaimed_at = confirmations["ash"].due_at_utc + timedelta(minutes=30)
    send = sender._send

    def sent_while_another_sender_reclaims_it(*args: Any, **kwargs: Any) -> Any:
        values = send(*args, **kwargs)
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(claimed_at_utc=reclaimed_at)
        )
        db.session.commit()
        return values

    monkeypatch.setattr(sender, "_send", sent_while_another_sender_reclaims_it)

    send_due_messages()

    row = db.session.get(OutboxMessage, row_id)
    assert row is not None
    assert (row.status, row.claimed_at_utc) == (OutboxStatus.SENDING, reclaimed_at)
